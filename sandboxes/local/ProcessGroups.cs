using System.Diagnostics;
using System.Globalization;

namespace CodingAgent.Sandboxes.Local;

/// <summary>
/// Signals whole process groups: every process a local sandbox starts leads its own group (setsid). A pid is only
/// signalled once <see cref="Signallable"/> has checked it against /proc, because the records come from disk the agent
/// could reach: never pid 0 or 1 (<c>kill -- -1</c> would hit every process of the user), never the control plane's own
/// process or group, never a process that is not a group leader or whose start time differs from the recorded one (a
/// reused pid).
/// </summary>
internal static class ProcessGroups
{
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(3);
    private static readonly int OwnGroup = ProcStat.Of(Environment.ProcessId)?.ProcessGroup ?? Environment.ProcessId;

    public static bool Signallable(ProcessRecord record) =>
        record.Pid > 1 && record.Pid != Environment.ProcessId && record.Pid != OwnGroup
        && record.Current() is { } stat && stat.ProcessGroup == record.Pid;

    public static async Task<bool> SignalAsync(ProcessRecord record, ProcessSignal signal, CancellationToken cancellationToken)
    {
        if (!Signallable(record))
        {
            return false;
        }

        using Process kill = Process.Start(new ProcessStartInfo("kill")
        {
            ArgumentList = { "-s", signal == ProcessSignal.Kill ? "KILL" : "TERM", "--", "-" + record.Pid.ToString(CultureInfo.InvariantCulture) },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        await kill.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return kill.ExitCode == 0;
    }

    /// <summary>TERM every group, give them a moment, then KILL what is left.</summary>
    public static async Task KillAllAsync(IReadOnlyList<ProcessRecord> records, CancellationToken cancellationToken)
    {
        foreach (ProcessRecord record in records)
        {
            await SignalAsync(record, ProcessSignal.Terminate, cancellationToken).ConfigureAwait(false);
        }

        using CancellationTokenSource grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        grace.CancelAfter(GracePeriod);
        while (records.Any(Signallable) && !grace.IsCancellationRequested)
        {
            await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
        }

        foreach (ProcessRecord record in records)
        {
            await SignalAsync(record, ProcessSignal.Kill, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits (briefly) until a process just started through setsid leads its own group, so a signal can reach it.</summary>
    public static async Task WaitUntilLeaderAsync(ProcessRecord record, CancellationToken cancellationToken)
    {
        long deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 2;
        while (record.Current() is { } stat && stat.ProcessGroup != record.Pid && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
    }
}
