using System.Text;
using CodingAgent.Sandboxes;

namespace CodingAgent.Tests.Unit;

public sealed class OutputTailTests
{
    [Fact]
    public void Tail_UnderCapacity_KeepsEverything()
    {
        OutputTail tail = new(16);
        tail.Write("hello "u8);
        tail.Write("world"u8);

        Assert.Equal("hello world", tail.ToString());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(40)]
    public void Tail_OverCapacityInAnyChunks_KeepsTheLastBytesAndCountsTheRest(int chunk)
    {
        byte[] text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 30).Select(i => (char)('a' + (i % 26)))));
        OutputTail tail = new(10);
        for (int at = 0; at < text.Length; at += chunk)
        {
            tail.Write(text.AsSpan(at, Math.Min(chunk, text.Length - at)));
        }

        Assert.Equal("[… 20 earlier bytes of output dropped …]\n" + Encoding.ASCII.GetString(text, 20, 10), tail.ToString());
        Assert.Equal(30, tail.TotalBytes);
    }
}
