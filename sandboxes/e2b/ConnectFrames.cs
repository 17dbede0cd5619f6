using System.Buffers.Binary;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace CodingAgent.Sandboxes.E2B;

/// <summary>
/// The Connect protocol's streaming envelope (docs/e2b.md §6.2): one flags byte, a big-endian uint32 length, then the JSON
/// payload. A stream must end with a frame flagged end-of-stream, which carries the call's error if it failed.
/// </summary>
public static class ConnectFrames
{
    public const string StreamContentType = "application/connect+json";
    private const byte Compressed = 0x01;
    private const byte EndOfStream = 0x02;
    private const int MaxFrameBytes = 16 * 1024 * 1024;

    public static ByteArrayContent Envelope(byte[] json)
    {
        byte[] frame = new byte[5 + json.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)json.Length);
        json.CopyTo(frame, 5);
        ByteArrayContent content = new(frame);
        content.Headers.ContentType = new MediaTypeHeaderValue(StreamContentType);
        return content;
    }

    /// <summary>The messages of a stream, in order; throws <see cref="ConnectException"/> for an error frame or a cut stream.</summary>
    public static async IAsyncEnumerable<JsonElement> ReadAsync(Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        byte[] header = new byte[5];
        while (true)
        {
            int read = await body.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (read < header.Length)
            {
                throw new ConnectException(ConnectCodes.Unknown, read == 0
                    ? "the stream ended without its end-of-stream frame"
                    : "the stream ended inside a frame header");
            }

            uint length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1));
            if (length > MaxFrameBytes || (header[0] & Compressed) != 0)
            {
                throw new ConnectException(ConnectCodes.Unknown, $"unexpected frame (flags {header[0]}, {length} bytes)");
            }

            byte[] payload = new byte[length];
            await body.ReadExactlyAsync(payload, cancellationToken).ConfigureAwait(false);
            using JsonDocument document = JsonDocument.Parse(payload);
            if ((header[0] & EndOfStream) != 0)
            {
                if (document.RootElement.TryGetProperty("error", out JsonElement error) && error.ValueKind == JsonValueKind.Object)
                {
                    throw ConnectException.From(error);
                }

                yield break;
            }

            yield return document.RootElement.Clone();
        }
    }
}
