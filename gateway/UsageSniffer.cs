using System.Text.Json;

namespace CodingAgent.Gateway;

/// <summary>
/// Watches the provider's answer as it streams through and keeps the last <c>usage</c> it reports: the final SSE chunk of
/// a streamed completion, or the body of a plain one. Only lines that mention usage are parsed.
/// </summary>
public sealed class UsageSniffer(bool streamed)
{
    private const int MaxBufferedBody = 4 * 1024 * 1024;
    private static readonly byte[] UsageMarker = "\"usage\""u8.ToArray();
    private readonly MemoryStream pending = new();
    private bool overflowed;

    public ModelCallUsage? Usage { get; private set; }

    public void Observe(ReadOnlySpan<byte> chunk)
    {
        if (!streamed)
        {
            if (pending.Length + chunk.Length > MaxBufferedBody)
            {
                overflowed = true;
                return;
            }

            pending.Write(chunk);
            return;
        }

        while (!chunk.IsEmpty)
        {
            int newline = chunk.IndexOf((byte)'\n');
            if (newline < 0)
            {
                if (pending.Length + chunk.Length <= MaxBufferedBody)
                {
                    pending.Write(chunk);
                }

                return;
            }

            pending.Write(chunk[..newline]);
            Line(pending.GetBuffer().AsSpan(0, (int)pending.Length));
            pending.SetLength(0);
            chunk = chunk[(newline + 1)..];
        }
    }

    public void Complete()
    {
        if (!overflowed && pending.Length > 0)
        {
            if (streamed)
            {
                Line(pending.GetBuffer().AsSpan(0, (int)pending.Length));
            }
            else
            {
                Parse(pending.GetBuffer().AsSpan(0, (int)pending.Length));
            }
        }
    }

    private void Line(ReadOnlySpan<byte> line)
    {
        ReadOnlySpan<byte> data = "data:"u8;
        if (line.StartsWith(data) && line.IndexOf(UsageMarker) >= 0)
        {
            Parse(line[data.Length..]);
        }
    }

    private void Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            Utf8JsonReader reader = new(json.Trim((byte)' ').TrimEnd((byte)'\r'));
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            Usage = ModelCallUsage.From(document.RootElement) ?? Usage;
        }
        catch (JsonException)
        {
            // Not a JSON chunk (a comment, [DONE], a provider's oddity): usage is best effort, the answer still flows.
        }
    }
}
