namespace CodingAgent.Tests.Support.ScriptedModel;

/// <summary>Makes script paths absolute against the working directory from OpenCode's system prompt.</summary>
internal static class PathResolver
{
    public static string MakeAbsolute(string path, string? workingDirectory)
    {
        if (Path.IsPathRooted(path) || string.IsNullOrEmpty(workingDirectory))
        {
            return path;
        }

        return Path.GetFullPath(Path.Combine(workingDirectory, path));
    }
}
