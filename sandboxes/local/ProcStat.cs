using System.Globalization;

namespace CodingAgent.Sandboxes.Local;

/// <summary>
/// The fields of <c>/proc/&lt;pid&gt;/stat</c> the local provider trusts before it signals: state (field 3), process group
/// (field 5) and start time in clock ticks since boot (field 22), which tells a process from a later one given the same pid.
/// </summary>
internal sealed record ProcStat(char State, int ProcessGroup, ulong StartTime)
{
    public bool IsAlive => State is not ('Z' or 'X');

    /// <summary>Null when the process does not exist (or its stat cannot be read or parsed).</summary>
    public static ProcStat? Of(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText(Path.Combine("/proc", pid.ToString(CultureInfo.InvariantCulture), "stat"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // The command (field 2) is parenthesised and may hold spaces or ')'; the fields after its last ')' are plain.
        string[] fields = text[(text.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 20 && fields[0].Length == 1
            && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out int group)
            && ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out ulong start)
            ? new ProcStat(fields[0][0], group, start)
            : null;
    }
}
