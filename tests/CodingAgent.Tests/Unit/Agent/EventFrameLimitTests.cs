using System.Net;
using System.Text;
using System.Text.Json;
using CodingAgent.Agent;
using CodingAgent.Sandboxes;

namespace CodingAgent.Tests.Unit.Agent;

/// <summary>An OpenCode event frame over the size limit fails with <see cref="AgentProtocolException"/> before it is held whole.</summary>
public sealed class EventFrameLimitTests
{
    [Fact]
    public async Task BoundedLines_SplitAnywhere_YieldsTheLines()
    {
        byte[] text = Encoding.UTF8.GetBytes("data: {\"a\":1}\r\n\nsecond line\nlast");
        List<string> lines = [];
        await foreach (string line in BoundedLines.ReadAsync(new TrickleStream(text, 3), 100, CancellationToken.None))
        {
            lines.Add(line);
        }

        Assert.Equal(["data: {\"a\":1}", "", "second line", "last"], lines);
    }

    [Fact]
    public async Task BoundedLines_LineOverTheLimit_Throws()
    {
        byte[] text = Encoding.UTF8.GetBytes("short\n" + new string('x', 5000) + "\n");

        await Assert.ThrowsAsync<AgentProtocolException>(async () =>
        {
            await foreach (string _ in BoundedLines.ReadAsync(new MemoryStream(text), 4096, CancellationToken.None))
            {
            }
        });
    }

    [Fact]
    public async Task EventsAsync_FrameOverTheLimit_ThrowsAfterTheFramesBefore()
    {
        string big = "data: {\"type\":\"message.part.updated\",\"text\":\"" + new string('y', 70_000) + "\"}\n\n";
        string stream = "data: {\"type\":\"server.connected\"}\n\n" + big;
        using HttpClient http = new(new FixedAnswer(stream));
        OpenCodeClient client = new(http, new PortEndpoint(new Uri("http://opencode.test/"), new Dictionary<string, string>()), "pw", maxEventFrameBytes: 64 * 1024);
        List<string?> seen = [];

        AgentProtocolException failure = await Assert.ThrowsAsync<AgentProtocolException>(async () =>
        {
            await foreach (JsonElement frame in client.EventsAsync(CancellationToken.None))
            {
                seen.Add(frame.GetProperty("type").GetString());
            }
        });

        Assert.Equal(["server.connected"], seen);
        Assert.Contains("65536 bytes", failure.Message, StringComparison.Ordinal);
    }

    private sealed class FixedAnswer(string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "text/event-stream") });
    }

    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }
}
