using System.Text.Json;
using CodingAgent.Agent;

namespace CodingAgent.Tests.Unit;

/// <summary>Reading one prompt's state from OpenCode's message list (shapes as OpenCode 1.18.33 returns them).</summary>
public sealed class TurnProgressTests
{
    private const string Prompt = "msg_2255ae5bd000BWfy6keBSOdG6F";

    private static TurnProgress Read(string replies) =>
        TurnProgress.Read(JsonDocument.Parse($$$"""
            [{"info":{"id":"msg_0001","role":"user"},"parts":[]},
             {"info":{"id":"msg_0002","role":"assistant","parentID":"msg_0001","finish":"stop","time":{"created":1,"completed":2}},"parts":[]},
             {"info":{"id":"{{{Prompt}}}","role":"user"},"parts":[]}{{{replies}}}]
            """).RootElement, Prompt);

    [Fact]
    public void StoredWithoutReply_IsNotStarted()
    {
        TurnProgress progress = Read("");

        Assert.True(progress.PromptStored);
        Assert.False(progress.Started);
        Assert.False(progress.Concluded);
    }

    [Fact]
    public void ToolCallStepCompleted_IsBetweenSteps()
    {
        TurnProgress progress = Read("""
            ,{"info":{"id":"msg_0003","role":"assistant","parentID":"msg_2255ae5bd000BWfy6keBSOdG6F","finish":"tool-calls","time":{"created":3,"completed":4}},"parts":[]}
            """);

        Assert.True(progress.Started);
        Assert.True(progress.LastReplyCompleted);
        Assert.False(progress.Concluded);
    }

    [Fact]
    public void StepInFlight_IsNotCompleted()
    {
        TurnProgress progress = Read("""
            ,{"info":{"id":"msg_0003","role":"assistant","parentID":"msg_2255ae5bd000BWfy6keBSOdG6F","time":{"created":3}},"parts":[]}
            """);

        Assert.False(progress.LastReplyCompleted);
        Assert.False(progress.Concluded);
    }

    [Fact]
    public void AbortedReply_ConcludesAsAborted()
    {
        TurnProgress progress = Read("""
            ,{"info":{"id":"msg_0003","role":"assistant","parentID":"msg_2255ae5bd000BWfy6keBSOdG6F","error":{"name":"MessageAbortedError","data":{"message":"Aborted"}},"time":{"created":3,"completed":4}},"parts":[]}
            """);

        Assert.True(progress.Concluded);
        Assert.True(progress.Aborted);
    }

    [Fact]
    public void FinishedReply_Concludes()
    {
        TurnProgress progress = Read("""
            ,{"info":{"id":"msg_0003","role":"assistant","parentID":"msg_2255ae5bd000BWfy6keBSOdG6F","finish":"stop","time":{"created":3,"completed":4}},"parts":[]}
            """);

        Assert.True(progress.Concluded);
        Assert.False(progress.Aborted);
    }

    [Theory]
    [InlineData("""{"type":"message.updated","properties":{"info":{"id":"msg_0003","role":"assistant","parentID":"msg_2255ae5bd000BWfy6keBSOdG6F"}}}""", true)]
    [InlineData("""{"type":"message.updated","properties":{"info":{"id":"msg_2255ae5bd000BWfy6keBSOdG6F","role":"user"}}}""", false)]
    [InlineData("""{"type":"message.updated","properties":{"info":{"id":"msg_0003","role":"assistant","parentID":"msg_0001"}}}""", false)]
    [InlineData("""{"type":"message.part.updated","properties":{"part":{"messageID":"msg_0003"},"info":{"parentID":"msg_2255ae5bd000BWfy6keBSOdG6F"}}}""", false)]
    [InlineData("""{"type":"message.updated","properties":{"info":"msg_2255ae5bd000BWfy6keBSOdG6F"}}""", false)]
    public void IsReplyEvent_OnlyForAnAssistantMessageAnsweringThePrompt(string envelope, bool expected)
    {
        using JsonDocument document = JsonDocument.Parse(envelope);

        Assert.Equal(expected, TurnProgress.IsReplyEvent(document.RootElement, Prompt));
    }
}
