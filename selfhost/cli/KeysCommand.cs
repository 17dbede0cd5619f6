using CodingAgent.Application.Keys;
using CodingAgent.Api.Auth;
using CodingAgent.Application;
using CodingAgent.Configuration;
using CodingAgent.Storage;

namespace CodingAgent.SelfHost.Cli;

/// <summary>
/// <c>keys create --account A [--scopes read:builder,write:builder]</c> | <c>keys list [--account A]</c> | <c>keys revoke --key-id ID</c>.
/// The key is printed once, on create; only its hash is stored.
/// </summary>
internal static class KeysCommand
{
    public const string Verb = "keys";

    public static async Task<int> RunAsync(string[] args)
    {
        using IHost host = CommandLineHost.Build();
        ApiKeyService keys = host.Services.GetRequiredService<ApiKeyService>();
        Dictionary<string, string> options = CommandLineOptions.Parse(args.Skip(1));
        try
        {
            switch (args.FirstOrDefault())
            {
                case "create":
                    string[] scopes = options.GetValueOrDefault("scopes", string.Join(',', Scopes.All)).Split(',', StringSplitOptions.RemoveEmptyEntries);
                    (ApiKeyRecord record, string key) = await keys.CreateAsync(CommandLineOptions.Required(options, "account"), scopes, CancellationToken.None).ConfigureAwait(false);
                    Console.Error.WriteLine($"Created key {record.KeyId} for account {record.Account} ({string.Join(' ', record.Scopes)}). It is shown once:");
                    Console.WriteLine(key);
                    return 0;
                case "list":
                    foreach (ApiKeyRecord listed in await keys.ListAsync(options.GetValueOrDefault("account"), CancellationToken.None).ConfigureAwait(false))
                    {
                        string state = listed.RevokedAt is null ? "active" : $"revoked {listed.RevokedAt:O}";
                        Console.WriteLine($"{listed.KeyId}\t{listed.Account}\t{string.Join(" ", listed.Scopes)}\t{listed.CreatedAt:O}\t{state}");
                    }

                    return 0;
                case "revoke":
                    bool revoked = await keys.RevokeAsync(CommandLineOptions.Required(options, "key-id"), CancellationToken.None).ConfigureAwait(false);
                    Console.Error.WriteLine(revoked ? "Revoked." : "No such key.");
                    return revoked ? 0 : 1;
                default:
                    Console.Error.WriteLine("usage: keys create --account NAME [--scopes read:builder,write:builder] | keys list [--account NAME] | keys revoke --key-id ID");
                    return 2;
            }
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }
    }
}
