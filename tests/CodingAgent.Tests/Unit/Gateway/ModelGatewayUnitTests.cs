using System.Text;
using System.Text.Json.Nodes;
using CodingAgent.Gateway;

namespace CodingAgent.Tests.Unit.Gateway;

public sealed class ModelGatewayUnitTests
{
    [Fact]
    public void Token_IssuedThenParsed_NamesTheRunAndKeepsTheSecret()
    {
        GatewayToken issued = GatewayToken.Issue("run_0123abc");

        Assert.True(GatewayToken.TryParse(issued.ToString(), out GatewayToken? parsed));
        Assert.Equal("run_0123abc", parsed.RunId);
        Assert.Equal(issued.Secret, parsed.Secret);
        Assert.True(issued.Secret.Length >= 43, "32 random bytes");
        Assert.NotEqual(issued.Secret, GatewayToken.Issue("run_0123abc").Secret);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sk-or-v1-abc")]
    [InlineData("mgw.")]
    [InlineData("mgw.run_1.")]
    [InlineData("mgw..secret")]
    [InlineData("mgw.run 1/..secret")]
    public void Token_NotOurs_IsRefused(string? text) => Assert.False(GatewayToken.TryParse(text, out _));

    [Fact]
    public void Rewrite_AnotherModelAndAStream_PinsTheRunsModelAndAsksForUsage()
    {
        byte[] body = Encoding.UTF8.GetBytes("""{"model":"openai/o3-pro","stream":true,"messages":[{"role":"user","content":"hi"}]}""");

        JsonObject rewritten = ModelForwarder.Rewrite(body, "anthropic/claude-sonnet-4.6")!;

        Assert.Equal("anthropic/claude-sonnet-4.6", (string)rewritten["model"]!);
        Assert.True((bool)rewritten["stream_options"]!["include_usage"]!);
        Assert.Equal("hi", (string)rewritten["messages"]![0]!["content"]!);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    public void Rewrite_NotAnObject_IsNull(string body) => Assert.Null(ModelForwarder.Rewrite(Encoding.UTF8.GetBytes(body), "m"));

    [Fact]
    public void Sniffer_StreamSplitAnywhere_FindsTheFinalUsage()
    {
        string stream = "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\n"
            + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":7,\"prompt_tokens_details\":{\"cached_tokens\":100},\"cost\":0.00042}}\n\n"
            + "data: [DONE]\n\n";
        byte[] bytes = Encoding.UTF8.GetBytes(stream);
        for (int split = 1; split < bytes.Length; split += 17)
        {
            UsageSniffer sniffer = new(streamed: true);
            sniffer.Observe(bytes.AsSpan(0, split));
            sniffer.Observe(bytes.AsSpan(split));
            sniffer.Complete();

            Assert.Equal(new ModelCallUsage(120, 7, 100, 0.00042m), sniffer.Usage);
        }
    }

    [Fact]
    public void Sniffer_PlainJsonAnswer_ReadsItsUsage()
    {
        UsageSniffer sniffer = new(streamed: false);
        sniffer.Observe(Encoding.UTF8.GetBytes("""{"id":"x","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2}}"""));
        sniffer.Complete();

        Assert.Equal(new ModelCallUsage(5, 2, 0, 0m), sniffer.Usage);
    }

    [Fact]
    public void Sniffer_NoUsageReported_IsNull()
    {
        UsageSniffer sniffer = new(streamed: true);
        sniffer.Observe(Encoding.UTF8.GetBytes("data: {\"choices\":[]}\n\ndata: [DONE]\n\n"));
        sniffer.Complete();

        Assert.Null(sniffer.Usage);
    }
}
