using CodingAgent.Model;
using CodingAgent.Tests.Support;

namespace CodingAgent.Tests.Unit.Model;

/// <summary>A run's usage counts each turn once and its sandbox's whole life in whole seconds, whatever is retried.</summary>
public sealed class RunUsageTests
{
    private static readonly DateTimeOffset Created = new(2026, 12, 8, 9, 0, 0, TimeSpan.Zero);

    private static RunRecord Run() => TestRuns.Record("acme", "run_u", RunStatuses.Running, Created) with
    {
        Phases = [new PhaseRecord(Phases.Sandbox, PhaseOutcomes.Succeeded, Created.AddSeconds(2), 1500)],
    };

    [Fact]
    public void ATurnCountedTwice_CountsOnce()
    {
        Usage turn1 = new(100, 20, 0.01m, RunUsage.SandboxSecondsUntil(Run(), Created.AddSeconds(62.7)), CacheReadTokens: 50);

        RunRecord once = RunUsage.CountTurn(Run(), 1, turn1);
        RunRecord retried = RunUsage.CountTurn(once, 1, turn1);

        Assert.Equal(60, turn1.SandboxSeconds); // from the sandbox phase's start, whole seconds
        Assert.Equal(once.Usage, retried.Usage);
        Assert.Equal(new Usage(100, 20, 0.01m, 60, 50), retried.Usage);
        Assert.Equal(Created.AddSeconds(2), retried.SandboxStartedAt);
    }

    [Fact]
    public void TurnsAndTheTail_AddUpToTheSandboxsLife_AndTheTailCountsOnce()
    {
        RunRecord run = Run();
        foreach ((int turn, double endsAt) in new[] { (1, 30.9), (2, 95.2), (3, 95.4) })
        {
            run = RunUsage.CountTurn(run, turn, Usage.Zero with { SandboxSeconds = RunUsage.SandboxSecondsUntil(run, Created.AddSeconds(endsAt)) });
        }

        RunRecord ended = RunUsage.CountSandboxEnd(run, Created.AddSeconds(400.5)) with { Status = RunStatuses.Completed };
        RunRecord endedAgain = RunUsage.CountSandboxEnd(ended, Created.AddSeconds(410));

        Assert.Equal(93, run.Usage.SandboxSeconds);
        Assert.Equal(398, ended.Usage.SandboxSeconds); // floor(400.5 − 2)
        Assert.Equal(ended.Usage, endedAgain.Usage);
    }
}
