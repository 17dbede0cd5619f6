using CodingAgent.Model;
using CodingAgent.Publishing;

namespace CodingAgent.Tests.Unit.Publishing;

public sealed class PublishTextsTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    private static readonly RunRecord Run = new()
    {
        Account = "acme", RunId = "run_1", Status = RunStatuses.Running, Repository = "acme/widgets", CloneUrl = "https://github.com/acme/widgets.git",
        ModelId = "m", TaskKind = TaskKinds.Code, ValidationMode = ValidationModes.Tests, BillingMode = "managed", PublishMode = PublishModes.DraftPullRequest,
        CreatedAt = At, UpdatedAt = At,
    };

    private static readonly TurnRecord Turn = new() { RunId = "run_1", Turn = 2, Status = TurnStatuses.Running, AcceptedAt = At, AssistantText = "Added the check." };

    [Fact]
    public void CommitMessage_SubjectIsThePromptsFirstLine_BodyTheSummary_TrailersNameRunAndTurn()
    {
        string message = PublishTexts.CommitMessage(Run, Turn, "\n  Add signature verification to the webhook handler and cover it with unit tests please\nmore");

        string[] lines = message.Split('\n');
        Assert.Equal(72, lines[0].Length);
        Assert.StartsWith("Add signature verification", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("…", lines[0], StringComparison.Ordinal);
        Assert.Equal(string.Empty, lines[1]);
        Assert.Equal("Added the check.", lines[2]);
        Assert.Contains("Coding-Agent-Run: run_1\nCoding-Agent-Turn: 2\n", message, StringComparison.Ordinal);
    }

    [Fact]
    public void PullRequestBody_CarriesSummaryVerdictAndRunLink()
    {
        TurnRecord validated = Turn with
        {
            Validation = new ValidationVerdict(2, ValidationModes.Tests, ValidationStatuses.Failed, "npm test", 1, 900, "1 failing", PreExisting: true,
                Baseline: new ValidationBaseline("abc", "npm test", ValidationStatuses.Failed, 1, 800)),
        };

        string body = PublishTexts.PullRequestBody(Run, validated, "https://agents.example.com/api/v1/coding-agent/runs/run_1");

        Assert.Contains("Added the check.", body, StringComparison.Ordinal);
        Assert.Contains("**failed, pre-existing**: `npm test`", body, StringComparison.Ordinal);
        Assert.Contains("1 failing", body, StringComparison.Ordinal);
        Assert.Contains("https://agents.example.com/api/v1/coding-agent/runs/run_1", body, StringComparison.Ordinal);
    }

    [Fact]
    public void PullRequestTitle_IsThePromptsFirstLine() =>
        Assert.Equal("Fix the bug", PublishTexts.PullRequestTitle("Fix the bug\nDetails follow."));
}
