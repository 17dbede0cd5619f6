namespace CodingAgent.Storage;

/// <summary>The app's data directory on one machine: <c>$CODING_AGENT_DATA_DIR</c>, else the user's local application data.</summary>
public static class AppDataPaths
{
    public static string Root { get; } =
        Environment.GetEnvironmentVariable("CODING_AGENT_DATA_DIR") is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "coding-agent");
}
