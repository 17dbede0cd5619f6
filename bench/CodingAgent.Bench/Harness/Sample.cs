using System.Globalization;

namespace CodingAgent.Bench.Harness;

/// <summary>Repeated measurements of one quantity: median with min and max (and p95 where asked).</summary>
public sealed record Sample(IReadOnlyList<double> Values)
{
    public double Median => Percentile(50);

    public double Min => Values.Min();

    public double Max => Values.Max();

    public double P95 => Percentile(95);

    public double Percentile(double percent)
    {
        double[] sorted = [.. Values.Order()];
        double rank = percent / 100.0 * (sorted.Length - 1);
        int low = (int)Math.Floor(rank);
        int high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }

    public string Describe(string unit) => Values.Count == 1
        ? $"{Format(Median)} {unit}"
        : $"{Format(Median)} {unit} ({Format(Min)}–{Format(Max)}, n={Values.Count})";

    public static string Format(double value) => value switch
    {
        >= 100 => value.ToString("0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.00", CultureInfo.InvariantCulture),
    };
}
