using System.Globalization;

namespace CodingAgent.Sandboxes.Local;

/// <summary>A background process the provider started: its pid and the start time it had then (see <see cref="ProcStat"/>).</summary>
internal sealed record ProcessRecord(int Pid, ulong StartTime)
{
    /// <summary>The process as it runs right now, if it is still the one recorded (same pid, same start time) and alive.</summary>
    public ProcStat? Current() => ProcStat.Of(Pid) is { IsAlive: true } stat && stat.StartTime == StartTime ? stat : null;

    /// <summary>Reads the start time of a process just started; null when it has already gone.</summary>
    public static ProcessRecord? Capture(int pid) => ProcStat.Of(pid) is { } stat ? new ProcessRecord(pid, stat.StartTime) : null;

    public string Content => StartTime.ToString(CultureInfo.InvariantCulture);

    /// <summary>A record file's name (<c>&lt;pid&gt;</c>) and content (the start time); null for anything malformed.</summary>
    public static ProcessRecord? Parse(string name, string content) =>
        int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid > 1
        && ulong.TryParse(content.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out ulong start)
            ? new ProcessRecord(pid, start)
            : null;
}
