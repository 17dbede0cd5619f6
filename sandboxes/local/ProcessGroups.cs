using System.Diagnostics;
using System.Globalization;

namespace CodingAgent.Sandboxes.Local;

/// <summary>Signals whole process groups: every background process of a local sandbox leads its own group (setsid).</summary>
internal static class ProcessGroups
{
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(3);

    public static bool IsAlive(int pid)
    {
        string stat = Path.Combine("/proc", pid.ToString(CultureInfo.InvariantCulture), "stat");
        try
        {
            string text = File.ReadAllText(stat);
            // Field 3 (after the parenthesised command) is the state; Z = zombie, X = dead.
            char state = text[(text.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static async Task<bool> SignalAsync(int pid, ProcessSignal signal, CancellationToken cancellationToken)
    {
        if (!IsAlive(pid))
        {
            return false;
        }

        using Process kill = Process.Start(new ProcessStartInfo("kill")
        {
            ArgumentList = { "-s", signal == ProcessSignal.Kill ? "KILL" : "TERM", "--", "-" + pid.ToString(CultureInfo.InvariantCulture) },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        await kill.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return kill.ExitCode == 0;
    }

    /// <summary>TERM every group, give them a moment, then KILL what is left.</summary>
    public static async Task KillAllAsync(IReadOnlyList<int> pids, CancellationToken cancellationToken)
    {
        foreach (int pid in pids)
        {
            await SignalAsync(pid, ProcessSignal.Terminate, cancellationToken).ConfigureAwait(false);
        }

        using CancellationTokenSource grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        grace.CancelAfter(GracePeriod);
        while (pids.Any(IsAlive) && !grace.IsCancellationRequested)
        {
            await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
        }

        foreach (int pid in pids)
        {
            await SignalAsync(pid, ProcessSignal.Kill, cancellationToken).ConfigureAwait(false);
        }
    }
}
