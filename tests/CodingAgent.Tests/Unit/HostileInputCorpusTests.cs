using System.Text.RegularExpressions;
using CodingAgent.Tests.Support;

namespace CodingAgent.Tests.Unit;

/// <summary>The corpus keeps the breadth the requirement asks for: every route, every kind of key, every category.</summary>
public sealed class HostileInputCorpusTests
{
    private static readonly (string Method, Regex Path)[] Routes =
    [
        ("POST", RoutePattern(@"runs")),
        ("GET", RoutePattern(@"runs(\?.*)?")),
        ("GET", RoutePattern(@"runs/[^/?]+(\?.*)?")),
        ("POST", RoutePattern(@"runs/[^/?]+/messages")),
        ("POST", RoutePattern(@"runs/[^/?]+/cancel")),
        ("GET", RoutePattern(@"runs/[^/?]+/turns/[^/?]+")),
        ("GET", RoutePattern(@"runs/[^/?]+/stream(\?.*)?")),
        ("GET", RoutePattern(@"runs/[^/?]+/patch")),
    ];

    [Fact]
    public void Corpus_HasUniquelyNamedCases_ExpectingProblems()
    {
        IReadOnlyList<HostileCase> cases = HostileCorpus.All;
        Assert.True(cases.Count >= 70, $"Only {cases.Count} cases.");
        Assert.Equal(cases.Count, cases.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.All(cases, c => Assert.InRange(c.ExpectStatus, 400, 499));
        Assert.All(cases, c => Assert.Matches("^[a-z_]+$", c.ExpectCode));
    }

    [Fact]
    public void Corpus_CoversEveryRouteKeyKindAndCategory()
    {
        IReadOnlyList<HostileCase> cases = HostileCorpus.All;
        Assert.All(Routes, route => Assert.Contains(cases, c => c.Method == route.Method && route.Path.IsMatch(c.Path)));

        string[] auths = [.. cases.Select(c => c.Headers.TryGetValue(HostileRequests.AuthHeader, out var auth) ? auth.GetString()! : "none").Distinct()];
        Assert.Superset(new HashSet<string> { "valid", "readOnly", "writeOnly", "revoked", "malformed", "unknown", "wrongSecret", "none", "otherAccount" },
            auths.ToHashSet());

        string[] categories = [.. cases.Select(c => c.Category).Distinct()];
        Assert.Superset(
            new HashSet<string> { "auth", "scope", "other-account", "content-type", "malformed-json", "wrong-type", "prompt-size", "enum", "ref", "id", "query", "idempotency-key", "route" },
            categories.ToHashSet());
        Assert.Contains(cases, c => c.Headers.ContainsKey("Idempotency-Key") && c.ExpectCode == "idempotency_key_reused");
        Assert.Contains(cases, c => c.ExpectStatus == 405);
        Assert.Contains(cases, c => c.Path.Contains("{otherRunId}", StringComparison.Ordinal));
    }

    private static Regex RoutePattern(string pattern) => new("^" + pattern + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}
