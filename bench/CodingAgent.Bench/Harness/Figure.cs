namespace CodingAgent.Bench.Harness;

/// <summary>
/// One line of the report: what we measured, against which baseline (measured in the same run), their ratio and the
/// target. <see cref="Notes"/> carries the breakdown that explains the figure.
/// </summary>
public sealed record Figure(
    string Id,
    string What,
    string Backend,
    string Ours,
    string Baseline,
    double Ratio,
    string Target,
    bool MeetsTarget,
    IReadOnlyList<string> Notes);
