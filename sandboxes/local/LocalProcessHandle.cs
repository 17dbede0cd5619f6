using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace CodingAgent.Sandboxes.Local;

/// <summary>
/// A background process of a local sandbox; its output is followed from the file it writes to until the recorded process
/// (null: one gone before its start time could be read) is no longer alive.
/// </summary>
internal sealed class LocalProcessHandle(int pid, ProcessRecord? record, string outputFile) : IProcessHandle
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);

    public string Ref { get; } = pid.ToString(CultureInfo.InvariantCulture);

    public int? Pid { get; } = pid;

    public async IAsyncEnumerable<string> ReadOutputLinesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using FileStream stream = new(outputFile, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        List<byte> pending = [];
        byte[] buffer = new byte[8192];
        while (true)
        {
            int read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read > 0)
            {
                for (int i = 0; i < read; i++)
                {
                    if (buffer[i] == (byte)'\n')
                    {
                        yield return Encoding.UTF8.GetString([.. pending]).TrimEnd('\r');
                        pending.Clear();
                    }
                    else
                    {
                        pending.Add(buffer[i]);
                    }
                }

                continue;
            }

            if (record?.Current() is null)
            {
                if (pending.Count > 0)
                {
                    yield return Encoding.UTF8.GetString([.. pending]);
                }

                yield break;
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }
}
