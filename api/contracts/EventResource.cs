using System.Text.Json;
using CodingAgent.Model;

namespace CodingAgent.Api.Contracts;

/// <summary>An entry of the run's event log: <c>{seq, turn, at, type, data}</c>.</summary>
public sealed record EventResource(long Seq, int Turn, DateTimeOffset At, string Type, JsonElement Data)
{
    public static EventResource From(RunEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new EventResource(e.Seq, e.Turn, e.At, e.Type, e.Data);
    }
}
