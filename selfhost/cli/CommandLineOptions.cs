namespace CodingAgent.SelfHost.Cli;

/// <summary><c>--name value</c> pairs of the command-line entry's verbs.</summary>
internal static class CommandLineOptions
{
    public static Dictionary<string, string> Parse(IEnumerable<string> args)
    {
        Dictionary<string, string> options = [];
        string? name = null;
        foreach (string arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                name = arg[2..];
            }
            else if (name is not null)
            {
                options[name] = arg;
                name = null;
            }
        }

        return options;
    }

    public static string Required(Dictionary<string, string> options, string name) =>
        options.TryGetValue(name, out string? value) ? value : throw new ArgumentException($"--{name} is required.");
}
