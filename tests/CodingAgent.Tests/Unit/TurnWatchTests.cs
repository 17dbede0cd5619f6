using CodingAgent.Agent;

namespace CodingAgent.Tests.Unit;

/// <summary>How the driver decides from successive reads of the session whether a prompt was taken, dropped or ended.</summary>
public sealed class TurnWatchTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(750);
    private static readonly TurnProgress Stored = new(true, 0, false, false, false);
    private static readonly TurnProgress InStep = new(true, 1, false, false, false);
    private static readonly TurnProgress BetweenSteps = new(true, 1, true, false, false);

    private static TurnWatch Watch(int posts = 1) => new(3, Settle, TimeSpan.FromSeconds(90), posts, Start);

    private static DateTimeOffset At(int ms) => Start.AddMilliseconds(ms);

    [Fact]
    public void StoredPromptOnIdleSession_IsRepostedOnlyOnceIdleHasLasted()
    {
        TurnWatch watch = Watch();

        Assert.Equal(TurnVerdict.Continue, watch.Observe(Stored, busy: false, At(0)));
        Assert.Equal(TurnVerdict.Continue, watch.Observe(Stored, busy: false, At(500)));
        Assert.Equal(TurnVerdict.Repost, watch.Observe(Stored, busy: false, At(800)));
        Assert.Equal(2, watch.Posts);
    }

    [Fact]
    public void PromptThatStartsWhileIdleIsSettling_IsNotReposted()
    {
        TurnWatch watch = Watch();

        Assert.Equal(TurnVerdict.Continue, watch.Observe(Stored, busy: false, At(0)));
        Assert.Equal(TurnVerdict.Continue, watch.Observe(InStep, busy: true, At(250)));
        Assert.Equal(TurnVerdict.Continue, watch.Observe(InStep, busy: true, At(5000)));
        Assert.False(watch.Settling);
    }

    [Fact]
    public void PromptQueuedBehindAnotherRun_WaitsWhileBusy()
    {
        TurnWatch watch = Watch();

        Assert.Equal(TurnVerdict.Continue, watch.Observe(Stored, busy: true, At(0)));
        Assert.Equal(TurnVerdict.Continue, watch.Observe(Stored, busy: true, At(60_000)));
        Assert.Equal(TurnVerdict.NotStarted, watch.Observe(Stored, busy: true, At(91_000)));
    }

    [Fact]
    public void PromptDroppedEveryTime_FailsAfterTheLastPost()
    {
        TurnWatch watch = Watch();
        int ms = 0;
        List<TurnVerdict> verdicts = [];
        while (verdicts.Count < 20 && verdicts.LastOrDefault() != TurnVerdict.NotStarted)
        {
            verdicts.Add(watch.Observe(Stored, busy: false, At(ms += 250)));
        }

        Assert.Equal(2, verdicts.Count(v => v == TurnVerdict.Repost));
        Assert.Equal(TurnVerdict.NotStarted, verdicts[^1]);
        Assert.Equal(3, watch.Posts);
        Assert.Contains("3 times", watch.Reason, StringComparison.Ordinal);
    }

    // A stray idle (another run's, e.g. after an abort) must not end a turn whose step is still being written.
    [Fact]
    public void IdleWhileAReplyIsInFlight_NeverEndsTheTurn()
    {
        TurnWatch watch = Watch();

        Assert.Equal(TurnVerdict.Continue, watch.Observe(InStep, busy: false, At(0)));
        Assert.Equal(TurnVerdict.Continue, watch.Observe(InStep, busy: false, At(30_000)));
    }

    [Fact]
    public void IdleBetweenSteps_IsAStopOnceItHasLasted()
    {
        TurnWatch watch = Watch();

        Assert.Equal(TurnVerdict.Continue, watch.Observe(BetweenSteps, busy: false, At(0)));
        Assert.Equal(TurnVerdict.Stopped, watch.Observe(BetweenSteps, busy: false, At(1000)));
    }

    [Fact]
    public void ConcludedTurn_EndsAtOnce()
    {
        Assert.Equal(TurnVerdict.Concluded, Watch().Observe(new TurnProgress(true, 2, true, true, false), busy: true, At(0)));
    }

    [Fact]
    public void ReplySeenOnTheStream_EndsSettling_AndThePromptIsNeverReposted()
    {
        TurnWatch watch = Watch();

        watch.ReplyStreamed();

        Assert.False(watch.Settling);
        // A list read that lags the stream must not make the prompt look dropped.
        Assert.Equal(TurnVerdict.Continue, watch.Observe(Stored, busy: false, At(0)));
        Assert.Equal(TurnVerdict.Continue, watch.Observe(Stored, busy: false, At(2000)));
        Assert.Equal(1, watch.Posts);
    }

    [Fact]
    public void ReplySeenOnTheStream_StillStopsOnAnIdleBetweenSteps()
    {
        TurnWatch watch = Watch();
        watch.ReplyStreamed();

        Assert.Equal(TurnVerdict.Continue, watch.Observe(BetweenSteps, busy: false, At(0)));
        Assert.True(watch.Settling);
        Assert.Equal(TurnVerdict.Stopped, watch.Observe(BetweenSteps, busy: false, At(1000)));
    }
}
