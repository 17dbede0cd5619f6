using CodingAgent.Application;
using CodingAgent.Model;

namespace CodingAgent.Tests.Unit;

public sealed class RunProgressPhasesTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    // A long session's record keeps provisioning and the last turns' phases (turn, validate, publish), never growing past them.
    [Fact]
    public void KeepRecent_KeepsPhasesOutsideTurnsAndTheLastTurns()
    {
        List<PhaseRecord> phases = [new(Phases.Sandbox, "succeeded", At, 10), new(Phases.Clone, "succeeded", At, 10)];
        for (int turn = 1; turn <= 30; turn++)
        {
            phases.Add(new(Phases.Turn, "succeeded", At, 10, turn));
            phases.Add(new(Phases.Validate, "succeeded", At, 10, turn));
        }

        List<PhaseRecord> kept = RunProgress.KeepRecent(phases);

        Assert.Equal([Phases.Sandbox, Phases.Clone], kept.Where(p => p.Turn is null).Select(p => p.Name));
        Assert.Equal(Enumerable.Range(11, RunProgress.TurnsWithPhases), kept.Where(p => p.Turn is not null).Select(p => p.Turn!.Value).Distinct());
        Assert.Equal(2 + (2 * RunProgress.TurnsWithPhases), kept.Count);
    }
}
