using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace CodingAgent.Sandboxes.E2B;

/// <summary>A background process in an E2B sandbox: its output is the rest of the Start stream, read as lines.</summary>
internal sealed class E2BProcessHandle(uint pid, ProcessStream stream) : IProcessHandle
{
    public string Ref { get; } = pid.ToString(CultureInfo.InvariantCulture);

    public int? Pid { get; } = (int)pid;

    /// <summary>Lines of stdout and stderr together. Stopping early only disconnects; the process keeps running.</summary>
    public async IAsyncEnumerable<string> ReadOutputLinesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using (stream.ConfigureAwait(false))
        {
            Decoder decoder = Encoding.UTF8.GetDecoder();
            StringBuilder pending = new();
            await foreach (ProcessEvent processEvent in stream.EventsAsync(cancellationToken).ConfigureAwait(false))
            {
                byte[]? chunk = processEvent.Data?.Stdout ?? processEvent.Data?.Stderr;
                if (chunk is null)
                {
                    continue;
                }

                char[] chars = new char[decoder.GetCharCount(chunk, flush: false)];
                decoder.GetChars(chunk, chars, flush: false);
                foreach (char c in chars)
                {
                    if (c == '\n')
                    {
                        yield return pending.ToString().TrimEnd('\r');
                        pending.Clear();
                    }
                    else
                    {
                        pending.Append(c);
                    }
                }
            }

            if (pending.Length > 0)
            {
                yield return pending.ToString();
            }
        }
    }
}
