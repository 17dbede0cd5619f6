using System.Diagnostics;
using System.Reflection;
using CodingAgent.Tests.Support;

namespace CodingAgent.Tests.Infrastructure;

/// <summary>The Bicep CLI from the Azure.Bicep.CommandLine NuGet package (its path is stamped into this assembly at build).</summary>
internal static class BicepCli
{
    public static string Executable { get; } = Find();

    public static string InfraFolder => Path.Combine(RepoRoot.Path, "infra");

    /// <summary>Runs bicep; a non-zero exit (an error, or a linter rule bicepconfig.json raises to error) fails with its output.</summary>
    public static string Run(params string[] arguments)
    {
        ProcessStartInfo start = new(Executable) { WorkingDirectory = InfraFolder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        string output = stdout.Result + stderr.Result;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"bicep {string.Join(' ', arguments)} exited {process.ExitCode}:\n{output}");
        }

        return output;
    }

    private static string Find()
    {
        string path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value!
            .Replace('\\', '/');
        return File.Exists(path) ? path : throw new FileNotFoundException("The Bicep CLI of the Azure.Bicep.CommandLine package was not restored.", path);
    }
}
