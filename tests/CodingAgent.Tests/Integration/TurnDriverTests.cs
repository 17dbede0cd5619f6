using System.Collections.Concurrent;
using System.Text.Json;
using CodingAgent.Agent;
using CodingAgent.Model;
using CodingAgent.Tests.Support;

namespace CodingAgent.Tests.Integration;

/// <summary>
/// The real turn driver against a real <c>opencode serve</c> and the scripted model: turns back to back after a failure
/// and after an abort, including prompts that OpenCode accepts (204) but silently drops (architecture.md, "Posting a prompt").
/// </summary>
public sealed class TurnDriverTests(OpenCodeServer server) : IClassFixture<OpenCodeServer>
{
    private static readonly TimeSpan TurnTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(60);
    private readonly OpenCodeTurnDriver driver = new(TimeProvider.System);
    private readonly string runId = "run_" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task FailedTurn_ThenNextTurnAtOnce_NextTurnRunsAndAnswers()
    {
        string session = await server.Client.CreateSessionAsync("failed then next", CancellationToken.None);

        Turn failed = await RunTurnAsync(session, 1, "fail 400");
        Turn next = await RunTurnAsync(session, 2, "say answered after the failure");

        Assert.Equal(TurnErrors.AgentError, failed.Result.Error?.Code);
        Assert.False(failed.Result.Cancelled);
        Assert.Null(next.Result.Error);
        Assert.Equal("answered after the failure", next.Result.FinalText);
        Assert.Contains(next.Events, e => e.Type == RunEventTypes.AgentText);
    }

    // OpenCode stores a prompt that arrives while a run is still in flight and lets that run pick it up; when the run
    // fails instead, the prompt is never answered. This is the wide version of posting right after a failed turn's idle.
    [Fact]
    public async Task PromptPostedWhileTurnFails_IsRepostedAndAnswered()
    {
        string session = await server.Client.CreateSessionAsync("posted during failure", CancellationToken.None);
        string failingPrompt = await server.WriteTaskAsync("sleep 3000\nfail 400");
        Task<Turn> failing = RunPromptAsync(session, 1, failingPrompt);
        await WaitForModelStepAsync(failing, failingPrompt, "fail: 400");

        Turn next = await RunTurnAsync(session, 2, "say answered after the dropped post");
        Turn failed = await failing;

        Assert.Equal(TurnErrors.AgentError, failed.Result.Error?.Code);
        Assert.Null(next.Result.Error);
        Assert.Equal("answered after the dropped post", next.Result.FinalText);
    }

    [Fact]
    public async Task AbortedLongTurn_IsReportedCancelled_AndNextTurnAtOnceRuns()
    {
        string session = await server.Client.CreateSessionAsync("abort then next", CancellationToken.None);
        string longPrompt = await server.WriteTaskAsync("sleep 20000\nsay the long turn finished");
        Task<Turn> running = RunPromptAsync(session, 1, longPrompt);
        await WaitForModelStepAsync(running, longPrompt, "text: the long turn finished");

        await server.Client.AbortAsync(session, CancellationToken.None);
        Turn aborted = await running;
        Turn next = await RunTurnAsync(session, 2, "say answered after the abort");

        Assert.True(aborted.Result.Cancelled, $"Expected a cancelled turn, got {aborted.Result.Error}");
        Assert.Equal(TurnErrors.Cancelled, aborted.Result.Error?.Code);
        Assert.Null(aborted.Result.FinalText);
        Assert.Null(next.Result.Error);
        Assert.Equal("answered after the abort", next.Result.FinalText);
    }

    // The cancel endpoint's case: the next turn was already posted (queued) when the running one is aborted.
    [Fact]
    public async Task PromptQueuedBehindAbortedTurn_IsRepostedAndAnswered()
    {
        string session = await server.Client.CreateSessionAsync("queued behind abort", CancellationToken.None);
        string longPrompt = await server.WriteTaskAsync("sleep 20000\nsay the long turn finished");
        Task<Turn> running = RunPromptAsync(session, 1, longPrompt);
        await WaitForModelStepAsync(running, longPrompt, "text: the long turn finished");
        string queuedId = MessageId(2);
        Task<Turn> queued = RunPromptAsync(session, 2, await server.WriteTaskAsync("say answered after the abort"), queuedId);
        await WaitForStoredPromptAsync(session, queuedId, queued);

        await server.Client.AbortAsync(session, CancellationToken.None);
        Turn aborted = await running;
        Turn next = await queued;

        Assert.True(aborted.Result.Cancelled, $"Expected a cancelled turn, got {aborted.Result.Error}");
        Assert.Null(next.Result.Error);
        Assert.Equal("answered after the abort", next.Result.FinalText);
    }

    // The driver reads only the newest messages of a session; a turn of more steps than that window still concludes,
    // with its final text and every step's events (its prompt is found in the full list).
    [Fact]
    public async Task TurnOfMoreStepsThanTheRecentWindow_ConcludesWithItsFinalTextAndEverySteps()
    {
        string session = await server.Client.CreateSessionAsync("many steps", CancellationToken.None);
        string script = string.Join('\n', Enumerable.Range(1, 45).Select(i => $"bash: echo step {i}")) + "\nsay all 45 steps ran";

        Turn turn = await RunPromptAsync(session, 1, await server.WriteTaskAsync(script), firstAttempt: true);

        Assert.Null(turn.Result.Error);
        Assert.Equal("all 45 steps ran", turn.Result.FinalText);
        Assert.Equal(46, turn.Events.Count(e => e.Type == RunEventTypes.AgentTool && e.Key.EndsWith(":completed", StringComparison.Ordinal)));
        using JsonDocument recent = await server.Client.GetTurnMessagesAsync(session, "msg_not_in_this_session", CancellationToken.None);
        using JsonDocument all = await server.Client.GetMessagesAsync(session, CancellationToken.None);
        Assert.True(all.RootElement.GetArrayLength() > 40, "The turn must be longer than the driver's window for this test to mean anything.");
        Assert.Equal(all.RootElement.GetArrayLength(), recent.RootElement.GetArrayLength());
    }

    // Longer than the driver's first window of the message list, shorter than its second.
    [Fact]
    public async Task TurnOfMoreStepsThanTheFirstWindow_ConcludesWithItsFinalTextAndEverySteps()
    {
        string session = await server.Client.CreateSessionAsync("some steps", CancellationToken.None);
        string script = string.Join('\n', Enumerable.Range(1, 12).Select(i => $"bash: echo step {i}")) + "\nsay all 12 steps ran";
        string messageId = MessageId(1);

        Turn turn = await RunPromptAsync(session, 1, await server.WriteTaskAsync(script), messageId, firstAttempt: true);

        Assert.Null(turn.Result.Error);
        Assert.Equal("all 12 steps ran", turn.Result.FinalText);
        Assert.Equal(13, turn.Events.Count(e => e.Type == RunEventTypes.AgentTool && e.Key.EndsWith(":completed", StringComparison.Ordinal)));
        using JsonDocument all = await server.Client.GetMessagesAsync(session, CancellationToken.None);
        Assert.InRange(all.RootElement.GetArrayLength(), 9, 40);
        using JsonDocument recent = await server.Client.GetTurnMessagesAsync(session, messageId, CancellationToken.None);
        Assert.Contains(recent.RootElement.EnumerateArray(), m => m.GetProperty("info").GetProperty("id").GetString() == messageId);
    }

    private async Task<Turn> RunTurnAsync(string session, int turn, string script) =>
        await RunPromptAsync(session, turn, await server.WriteTaskAsync(script));

    private async Task<Turn> RunPromptAsync(string session, int turn, string prompt, string? messageId = null, bool firstAttempt = false)
    {
        ConcurrentQueue<RunEventDraft> events = new();
        AgentTurnRequest request = new(session, messageId ?? MessageId(turn), prompt, server.RepositoryPath, turn, TurnTimeout, new HashSet<string>())
        {
            FirstAttempt = firstAttempt,
        };
        using CancellationTokenSource limit = new(TurnTimeout + TimeSpan.FromMinutes(1));
        AgentTurnResult result = await driver.RunAsync(server.Client, request, drafts =>
        {
            foreach (RunEventDraft draft in drafts)
            {
                events.Enqueue(draft);
            }

            return Task.CompletedTask;
        }, limit.Token);
        return new Turn(result, [.. events]);
    }

    private string MessageId(int turn) => OpenCodeIds.UserMessageId(runId, turn, TimeProvider.System.GetUtcNow());

    /// <summary>Waits until the scripted model has received the step of <paramref name="prompt"/> that answers <paramref name="reply"/> (it is then inside that step).</summary>
    private async Task WaitForModelStepAsync(Task<Turn> turn, string prompt, string reply) =>
        await WaitUntilAsync(() => Task.FromResult(server.Model.Requests.Any(r => r.LastUserText == prompt && r.Reply == reply)), turn, $"the model never received the step answering '{reply}'");

    private async Task WaitForStoredPromptAsync(string session, string messageId, Task<Turn> turn) =>
        await WaitUntilAsync(() => HasMessage(session, messageId), turn, $"prompt {messageId} was never stored");

    private async Task<bool> HasMessage(string session, string messageId)
    {
        using JsonDocument messages = await server.Client.GetMessagesAsync(session, CancellationToken.None);
        return messages.RootElement.EnumerateArray().Any(m => m.GetProperty("info").GetProperty("id").GetString() == messageId);
    }

    // Polls a condition; fails early if the turn it waits on has already ended.
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, Task<Turn> turn, string failure)
    {
        DateTimeOffset giveUp = TimeProvider.System.GetUtcNow() + WaitLimit;
        using PeriodicTimer poll = new(TimeSpan.FromMilliseconds(50));
        while (!await condition())
        {
            if (turn.IsCompleted)
            {
                Turn ended = await turn;
                Assert.Fail($"{failure}; the turn already ended with {ended.Result.Error?.Code ?? "no error"}: {ended.Result.FinalText}");
            }

            Assert.True(TimeProvider.System.GetUtcNow() < giveUp, failure);
            await poll.WaitForNextTickAsync();
        }
    }

    private sealed record Turn(AgentTurnResult Result, IReadOnlyList<RunEventDraft> Events);
}
