using System.Runtime.CompilerServices;
using System.Text;

namespace CodingAgent.Agent;

/// <summary>
/// Lines of a UTF-8 stream with a ceiling on each: a line longer than <c>maxLineBytes</c> throws
/// <see cref="AgentProtocolException"/> before it is ever held whole, so a hostile or broken peer cannot grow this
/// process's memory without bound (a plain <c>ReadLineAsync</c> would buffer a line of any length).
/// </summary>
public static class BoundedLines
{
    public static async IAsyncEnumerable<string> ReadAsync(Stream stream, int maxLineBytes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] buffer = new byte[64 * 1024];
        using MemoryStream line = new();
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            int start = 0;
            for (int i = 0; i < read; i++)
            {
                if (buffer[i] != (byte)'\n')
                {
                    continue;
                }

                Append(line, buffer.AsSpan(start, i - start), maxLineBytes);
                yield return Take(line);
                start = i + 1;
            }

            Append(line, buffer.AsSpan(start, read - start), maxLineBytes);
        }

        if (line.Length > 0)
        {
            yield return Take(line);
        }
    }

    private static void Append(MemoryStream line, ReadOnlySpan<byte> bytes, int maxLineBytes)
    {
        if (line.Length + bytes.Length > maxLineBytes)
        {
            throw new AgentProtocolException($"OpenCode sent an event line over {maxLineBytes} bytes (Agent:MaxEventFrameBytes).");
        }

        line.Write(bytes);
    }

    private static string Take(MemoryStream line)
    {
        string text = Encoding.UTF8.GetString(line.GetBuffer(), 0, (int)line.Length).TrimEnd('\r');
        line.SetLength(0);
        return text;
    }
}
