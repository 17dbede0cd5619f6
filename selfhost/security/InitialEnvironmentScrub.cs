using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace CodingAgent.SelfHost.Security;

/// <summary>
/// Blanks the values of secret-looking variables in this process's initial environment block, the bytes that
/// <c>/proc/&lt;pid&gt;/environ</c> shows to every process of the same user — such as a local sandbox's agent. Configuration
/// has been read by then, and the runtime keeps its own copy of the environment, so nothing the host uses changes.
/// Defence in depth only: a same-user process can still read this process's memory; the local provider is no tenant
/// boundary (docs/security.md).
/// </summary>
internal static class InitialEnvironmentScrub
{
    private static readonly string[] SecretPrefixes = ["CodingAgent__", "AzureWebJobs", "APPLICATIONINSIGHTS_", "WEBSITE_", "AZURE_", "E2B_", "OPENROUTER_", "GITHUB_"];
    private static readonly string[] SecretWords = ["KEY", "SECRET", "TOKEN", "PASSWORD", "PASSWD", "CONNECTIONSTRING", "CREDENTIAL"];

    /// <summary>Returns how many values were blanked (0 where the kernel offers no such block).</summary>
    public static int Run()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        try
        {
            (long start, long end) = EnvironmentBlock();
            byte[] block = new byte[end - start];
            using SafeFileHandle memory = File.OpenHandle("/proc/self/mem", FileMode.Open, FileAccess.ReadWrite);
            RandomAccess.Read(memory, block, start);
            int blanked = 0;
            int entryStart = 0;
            for (int i = 0; i <= block.Length; i++)
            {
                if (i < block.Length && block[i] != 0)
                {
                    continue;
                }

                int equals = Array.IndexOf(block, (byte)'=', entryStart, i - entryStart);
                if (equals > entryStart && IsSecret(Encoding.UTF8.GetString(block, entryStart, equals - entryStart)) && i > equals + 1)
                {
                    RandomAccess.Write(memory, new byte[i - equals - 1], start + equals + 1);
                    blanked++;
                }

                entryStart = i + 1;
            }

            return blanked;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return 0;
        }
    }

    public static bool IsSecret(string name) =>
        SecretPrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase))
        || SecretWords.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase));

    // Fields 50 and 51 of /proc/self/stat (proc(5)): where the environment strings start and end.
    private static (long Start, long End) EnvironmentBlock()
    {
        string stat = File.ReadAllText("/proc/self/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        const int FirstField = 3;
        return (long.Parse(fields[50 - FirstField], CultureInfo.InvariantCulture), long.Parse(fields[51 - FirstField], CultureInfo.InvariantCulture));
    }
}
