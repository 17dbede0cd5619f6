using System.Diagnostics;

namespace CodingAgent.Tests.Support;

/// <summary>The project's command-line key management (<c>dotnet CodingAgent.SelfHost.dll keys …</c>) for what <see cref="TestEnvironment.CreateKeyAsync"/> does not cover.</summary>
public static class KeysCli
{
    /// <summary>Revokes a key by its id, the middle part of <c>crt_{id}_{secret}</c>.</summary>
    public static async Task RevokeAsync(TestEnvironment environment, string key)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(key);
        string keyId = key.Split('_')[1];
        ProcessStartInfo info = new("dotnet")
        {
            ArgumentList = { RepoRoot.SelfHostDll, "keys", "revoke", "--key-id", keyId },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach ((string name, string value) in environment.Environment())
        {
            info.Environment[name] = value;
        }

        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = await process.StandardError.ReadToEndAsync();
        await stdout;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"keys revoke failed ({process.ExitCode}): {stderr}");
        }
    }
}
