using System.Runtime.CompilerServices;
using System.Text;

namespace CodingAgent.Tests.Support;

/// <summary>One message of a server-sent event stream: an event (id, name, data) or a comment.</summary>
public sealed record SseMessage(string? Id, string? Event, string? Data, string? Comment)
{
    /// <summary>When the client finished reading the message.</summary>
    public DateTimeOffset? ReceivedAt { get; init; }

    public bool IsComment => Comment is not null;
}

/// <summary>Parses the SSE wire format line by line, as an EventSource does.</summary>
public static class SseReader
{
    public static async IAsyncEnumerable<SseMessage> ReadAsync(Stream body, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using StreamReader reader = new(body, Encoding.UTF8);
        string? id = null, name = null;
        StringBuilder? data = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null || id is not null)
                {
                    yield return new SseMessage(id, name, data?.ToString(), null) { ReceivedAt = TimeProvider.System.GetUtcNow() };
                }

                id = name = null;
                data = null;
            }
            else if (line.StartsWith(':'))
            {
                yield return new SseMessage(null, null, null, line[1..].Trim());
            }
            else
            {
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                string field = colon < 0 ? line : line[..colon];
                string value = colon < 0 ? string.Empty : line[(colon + 1)..].TrimStart(' ');
                switch (field)
                {
                    case "id":
                        id = value;
                        break;
                    case "event":
                        name = value;
                        break;
                    case "data":
                        data = data is null ? new StringBuilder(value) : data.Append('\n').Append(value);
                        break;
                }
            }
        }
    }
}
