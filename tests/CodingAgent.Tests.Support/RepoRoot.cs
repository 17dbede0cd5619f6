namespace CodingAgent.Tests.Support;

public static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir, "CodingAgent.Functions.sln")))
        {
            dir = Directory.GetParent(dir)?.FullName;
        }

        return dir ?? throw new InvalidOperationException("The repository root (CodingAgent.Functions.sln) was not found above the test output.");
    }

    public static string OpenCode => System.IO.Path.Combine(Path, "node_modules", ".bin", "opencode");

    public static string Azurite => System.IO.Path.Combine(Path, "node_modules", ".bin", "azurite");

    public static string SelfHostDll => System.IO.Path.Combine(AppContext.BaseDirectory, "CodingAgent.SelfHost.dll");
}
