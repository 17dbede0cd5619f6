using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using CodingAgent.Sandboxes.E2B;

namespace CodingAgent.Tests.Unit;

/// <summary>The Connect streaming envelope as envd writes it (docs/e2b.md §6.2).</summary>
public sealed class ConnectFramesTests
{
    [Fact]
    public async Task ReadAsync_MessagesThenEndOfStream_YieldsEachMessageInOrder()
    {
        using MemoryStream stream = Stream(
            (0x00, """{"event":{"start":{"pid":412}}}"""),
            (0x00, """{"event":{"data":{"stdout":"aGVsbG8K"}}}"""),
            (0x00, """{"event":{"keepalive":{}}}"""),
            (0x00, """{"event":{"end":{"exited":true,"status":"exit status 0"}}}"""),
            (0x02, "{}"));

        List<JsonElement> messages = await ReadAllAsync(stream);

        Assert.Equal(4, messages.Count);
        Assert.Equal(412, messages[0].GetProperty("event").GetProperty("start").GetProperty("pid").GetInt32());
        Assert.Equal("hello\n", Encoding.UTF8.GetString(messages[1].GetProperty("event").GetProperty("data").GetProperty("stdout").GetBytesFromBase64()));
    }

    [Fact]
    public async Task ReadAsync_EndOfStreamCarryingAnError_ThrowsItsCodeAndMessage()
    {
        using MemoryStream stream = Stream(
            (0x00, """{"event":{"start":{"pid":7}}}"""),
            (0x02, """{"error":{"code":"not_found","message":"process with pid 999 not found"}}"""));

        ConnectException error = await Assert.ThrowsAsync<ConnectException>(() => ReadAllAsync(stream));

        Assert.Equal("not_found", error.Code);
        Assert.Contains("process with pid 999 not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_StreamCutWithoutItsEndFrame_IsAProtocolError()
    {
        using MemoryStream stream = Stream((0x00, """{"event":{"start":{"pid":7}}}"""));

        ConnectException error = await Assert.ThrowsAsync<ConnectException>(() => ReadAllAsync(stream));

        Assert.Equal(ConnectCodes.Unknown, error.Code);
    }

    [Fact]
    public async Task ReadAsync_StreamCutInsideAFrameHeader_IsAProtocolError()
    {
        using MemoryStream stream = new([0x00, 0x00, 0x00]);

        ConnectException error = await Assert.ThrowsAsync<ConnectException>(() => ReadAllAsync(stream));

        Assert.Contains("frame header", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Envelope_WritesFlagsAndBigEndianLength_BeforeTheJson()
    {
        byte[] json = Encoding.UTF8.GetBytes("""{"process":{"cmd":"/bin/bash"}}""");

        byte[] frame = await ConnectFrames.Envelope(json).ReadAsByteArrayAsync();

        Assert.Equal(0x00, frame[0]);
        Assert.Equal((uint)json.Length, BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(1, 4)));
        Assert.Equal(json, frame[5..]);
    }

    private static async Task<List<JsonElement>> ReadAllAsync(Stream stream)
    {
        List<JsonElement> messages = [];
        await foreach (JsonElement message in ConnectFrames.ReadAsync(stream, CancellationToken.None))
        {
            messages.Add(message);
        }

        return messages;
    }

    private static MemoryStream Stream(params (byte Flags, string Json)[] frames)
    {
        MemoryStream stream = new();
        foreach ((byte flags, string json) in frames)
        {
            byte[] payload = Encoding.UTF8.GetBytes(json);
            byte[] header = new byte[5];
            header[0] = flags;
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(1), (uint)payload.Length);
            stream.Write(header);
            stream.Write(payload);
        }

        stream.Position = 0;
        return stream;
    }
}
