using System.Globalization;
using System.Text;

namespace CodingAgent.Sandboxes;

/// <summary>
/// The last <c>capacity</c> bytes of a command's output, whatever it printed: a validation that prints a gigabyte costs
/// the control plane this much memory and no more. What fell off the front is counted and said in the text.
/// </summary>
public sealed class OutputTail(int capacity)
{
    private readonly byte[] ring = new byte[capacity];
    private readonly Lock gate = new();
    private int end;
    private int held;
    private long total;

    public long TotalBytes
    {
        get
        {
            lock (gate)
            {
                return total;
            }
        }
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        lock (gate)
        {
            total += bytes.Length;
            if (bytes.Length >= ring.Length)
            {
                bytes[^ring.Length..].CopyTo(ring);
                end = 0;
                held = ring.Length;
                return;
            }

            int first = Math.Min(bytes.Length, ring.Length - end);
            bytes[..first].CopyTo(ring.AsSpan(end));
            bytes[first..].CopyTo(ring);
            end = (end + bytes.Length) % ring.Length;
            held = Math.Min(ring.Length, held + bytes.Length);
        }
    }

    public override string ToString()
    {
        lock (gate)
        {
            int start = (end - held + ring.Length) % ring.Length;
            byte[] ordered = start + held <= ring.Length
                ? ring.AsSpan(start, held).ToArray()
                : [.. ring.AsSpan(start), .. ring.AsSpan(0, end)];
            string text = Encoding.UTF8.GetString(ordered);
            return total > held
                ? string.Create(CultureInfo.InvariantCulture, $"[… {total - held} earlier bytes of output dropped …]\n") + text
                : text;
        }
    }
}
