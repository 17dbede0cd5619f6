using CodingAgent.Application;
using CodingAgent.Application.Webhooks;
using CodingAgent.Storage;

namespace CodingAgent.SelfHost.Cli;

/// <summary>
/// <c>accounts allow --account A --repository PATTERN</c> | <c>accounts deny --account A --repository PATTERN</c> |
/// <c>accounts show --account A</c>: the repositories an account may run on (owner/name, owner/*, host/owner/name, *).
/// <c>accounts webhook-secret --account A [--rotate yes]</c>: the account's webhook signing secret (made on first use).
/// </summary>
internal static class AccountsCommand
{
    public const string Verb = "accounts";
    private const string Usage = "usage: accounts allow|deny --account NAME --repository owner/name|owner/*|host/owner/name|* | accounts show --account NAME"
        + " | accounts webhook-secret --account NAME [--rotate yes]";

    public static async Task<int> RunAsync(string[] args)
    {
        using IHost host = CommandLineHost.Build();
        AccountStore accounts = host.Services.GetRequiredService<AccountStore>();
        RepositoryAccess access = host.Services.GetRequiredService<RepositoryAccess>();
        Dictionary<string, string> options = CommandLineOptions.Parse(args.Skip(1));
        try
        {
            string account = CommandLineOptions.Required(options, "account");
            if (args.FirstOrDefault() == "webhook-secret")
            {
                WebhookSecretStore secrets = host.Services.GetRequiredService<WebhookSecretStore>();
                string secret = options.GetValueOrDefault("rotate") == "yes"
                    ? await secrets.RotateAsync(account, WebhookSignature.NewSecret(), CancellationToken.None).ConfigureAwait(false)
                    : await secrets.GetOrCreateAsync(account, WebhookSignature.NewSecret, CancellationToken.None).ConfigureAwait(false);
                Console.Error.WriteLine($"The webhook signing secret of account {account} (Standard Webhooks, docs/webhooks.md):");
                Console.WriteLine(secret);
                return 0;
            }

            IReadOnlyList<string> stored;
            switch (args.FirstOrDefault())
            {
                case "allow":
                    string allowed = Pattern(access, options);
                    stored = await accounts.ChangeAllowedRepositoriesAsync(account, list => [.. list.Union([allowed])], CancellationToken.None).ConfigureAwait(false);
                    break;
                case "deny":
                    string denied = Pattern(access, options);
                    stored = await accounts.ChangeAllowedRepositoriesAsync(account, list => [.. list.Except([denied])], CancellationToken.None).ConfigureAwait(false);
                    break;
                case "show":
                    stored = await accounts.AllowedRepositoriesAsync(account, CancellationToken.None).ConfigureAwait(false);
                    break;
                default:
                    Console.Error.WriteLine(Usage);
                    return 2;
            }

            Console.Error.WriteLine($"Account {account} may run on {(stored.Count == 0 ? "no remote repository" : stored.Count + " pattern(s)")}:");
            foreach (string pattern in stored)
            {
                Console.WriteLine(pattern);
            }

            return 0;
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }
    }

    private static string Pattern(RepositoryAccess access, Dictionary<string, string> options) =>
        access.Canonical(CommandLineOptions.Required(options, "repository"))
        ?? throw new ArgumentException("--repository must be owner/name, owner/*, host/owner/name, host/owner/* or *.");
}
