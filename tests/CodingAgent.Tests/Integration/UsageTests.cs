using System.Net;
using System.Text.Json.Nodes;
using CodingAgent.Configuration;
using CodingAgent.Model;
using CodingAgent.Storage;
using CodingAgent.Tests.Support;
using Microsoft.Extensions.Options;

namespace CodingAgent.Tests.Integration;

/// <summary>The usage ledger: one row per turn and one for the sandbox's tail, written once, summed per day by <c>GET /usage</c>.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class UsageTests(TestEnvironment environment) : SelfHostTest(environment, "usage")
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task ARun_LeavesOneRowPerTurnAndItsSandboxTail_AndTheDayTotalIsTheRunsUsage()
    {
        using TestRepository repo = TestRepository.Create();
        using ApiClient api = new(Host.BaseUrl, Key);
        string runId = (string)(await api.CreateRunAsync(new { repository = repo.Path, prompt = "write a.txt: one\nsay Done.", modelId = "scripted/model" }))["id"]!;
        await api.WaitForAsync(runId, r => (string)r["status"]! == "idle", RunTimeout);
        using (HttpResponseMessage end = await api.PostAsync($"runs/{runId}/messages", new { endSession = true }))
        {
            Assert.Equal(HttpStatusCode.Accepted, end.StatusCode);
        }

        (JsonNode completed, _) = await api.WaitForAsync(runId, r => (string)r["status"]! == "completed", RunTimeout);
        string today = DateOnly.FromDateTime(DateTimeOffset.Parse((string)completed["updatedAt"]!).UtcDateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        IReadOnlyList<UsageEntry> rows = (await Ledger().ListAsync("usage", DateOnly.MinValue, DateOnly.MaxValue, CancellationToken.None))
            .Where(r => r.RunId == runId).ToList();
        Assert.Equal(["sandbox:0", "turn:1"], rows.Select(r => $"{r.Kind}:{r.Turn}").Order(StringComparer.Ordinal));

        JsonNode day = await GetUsageAsync(api, $"usage?from={today}&to={today}");
        JsonNode total = day["total"]!;
        JsonNode runUsage = completed["usage"]!;
        foreach (string field in new[] { "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens", "sandboxSeconds" })
        {
            Assert.Equal((long)runUsage[field]!, (long)total[field]!);
        }

        Assert.Equal(1, (int)day["days"]![0]!["turns"]!);
        Assert.Equal(1, (int)day["days"]![0]!["runs"]!);
        Assert.Equal("usage", (string)day["account"]!);

        // Another account sees none of it.
        using ApiClient other = new(Host.BaseUrl, await Environment.SharedKeyAsync("usage-other"));
        Assert.Empty((await GetUsageAsync(other, $"usage?from={today}&to={today}"))["days"]!.AsArray());
    }

    [Fact]
    public async Task ARowRecordedTwice_IsOneRow()
    {
        UsageLedger ledger = Ledger();
        UsageEntry entry = new("usage-twice", "run_twice", 3, UsageLedger.TurnKind, new DateOnly(2026, 12, 8), new Usage(10, 5, 0.25m, 7, 3, 1));

        Assert.True(await ledger.RecordAsync(entry, CancellationToken.None));
        Assert.False(await ledger.RecordAsync(entry with { Usage = entry.Usage with { InputTokens = 999 } }, CancellationToken.None));

        Assert.Equal([entry], await ledger.ListAsync("usage-twice", new DateOnly(2026, 12, 8), new DateOnly(2026, 12, 8), CancellationToken.None));
    }

    [Theory]
    [InlineData("usage?from=2026-13-01", "from")]
    [InlineData("usage?from=2026-12-09&to=2026-12-08", "from")]
    [InlineData("usage?from=2025-01-01&to=2026-12-08", "to")]
    [InlineData("usage?to=yesterday", "to")]
    public async Task BadRange_Is400NamingTheParameter(string path, string parameter)
    {
        using ApiClient api = new(Host.BaseUrl, Key);
        using HttpResponseMessage response = await api.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.NotNull((await ApiClient.BodyAsync(response))["errors"]![parameter]);
    }

    private UsageLedger Ledger() => new(new StorageClients(Options.Create(new StorageOptions
    {
        ConnectionString = Environment.StorageConnectionString,
        NamePrefix = Environment.NamePrefix,
    })));

    private static async Task<JsonNode> GetUsageAsync(ApiClient api, string path)
    {
        using HttpResponseMessage response = await api.GetAsync(path);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!;
    }
}
