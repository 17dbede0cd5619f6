using System.Text.Json;
using CodingAgent.Agent;
using CodingAgent.Model;

namespace CodingAgent.Tests.Unit;

/// <summary>Mapping a real captured OpenCode turn (tests/Data) into the run's own events.</summary>
public sealed class OpenCodeEventMapperTests
{
    private const string Session = "ses_ddaeaf2e6ffeXiXotssDC8afeB";

    private static List<JsonElement> Capture() =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Data", "opencode-turn-events.jsonl"))
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .ToList();

    [Fact]
    public void Map_CapturedTurn_YieldsToolsFilesTextAndEndsAtIdle()
    {
        OpenCodeEventMapper mapper = new(Session, "/home/user/repo", turn: 3);
        List<RunEventDraft> drafts = Capture().SelectMany(mapper.Map).ToList();

        Assert.True(mapper.SessionIdle);
        Assert.All(drafts, d => Assert.Equal(3, d.Turn));
        Assert.Contains(drafts, d => d.Type == RunEventTypes.AgentFile && d.Key == "file:calc.py:1");
        Assert.Contains(drafts, d => d.Type == RunEventTypes.AgentTool && d.Key.EndsWith(":completed", StringComparison.Ordinal));
        Assert.Contains(drafts, d => d.Type == RunEventTypes.AgentTool && d.Key.EndsWith(":error", StringComparison.Ordinal));
        RunEventDraft text = Assert.Single(drafts, d => d.Type == RunEventTypes.AgentText);
        Assert.Contains("Edited calc.py", JsonSerializer.Serialize(text.Data), StringComparison.Ordinal);
    }

    // Running updates of one tool call repeat; their keys do not, so the log keeps one entry per call and state.
    [Fact]
    public void Map_RepeatedRunningUpdates_ShareOneKey()
    {
        OpenCodeEventMapper mapper = new(Session, "/home/user/repo", turn: 1);
        List<RunEventDraft> drafts = Capture().SelectMany(mapper.Map).ToList();

        Assert.True(drafts.Count(d => d.Type == RunEventTypes.AgentTool && d.Key.EndsWith(":running", StringComparison.Ordinal))
            > drafts.Where(d => d.Type == RunEventTypes.AgentTool && d.Key.EndsWith(":running", StringComparison.Ordinal)).Select(d => d.Key).Distinct().Count());
    }

    // Events of another session are not this turn's.
    [Fact]
    public void Map_OtherSession_YieldsNothingButFileEdits()
    {
        OpenCodeEventMapper mapper = new("ses_other", "/home/user/repo", turn: 1);
        List<RunEventDraft> drafts = Capture().SelectMany(mapper.Map).ToList();

        Assert.All(drafts, d => Assert.Equal(RunEventTypes.AgentFile, d.Type));
        Assert.False(mapper.SessionIdle);
    }
}
