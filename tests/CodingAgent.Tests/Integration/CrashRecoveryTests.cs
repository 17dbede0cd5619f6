using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using CodingAgent.Application;
using CodingAgent.Model;
using CodingAgent.Configuration;
using CodingAgent.Storage;
using CodingAgent.Tests.Support;
using Microsoft.Extensions.Options;

namespace CodingAgent.Tests.Integration;

/// <summary>
/// Atomic create and accept (the trust boundary, item 8): the storage a control plane leaves when it dies between the
/// writes of a create (run row stored, no orchestration, no answer) or of an accept (turn numbered, nothing else) is laid
/// down here directly; a retry with the same Idempotency-Key then finishes that same run and that same turn.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class CrashRecoveryTests(TestEnvironment environment) : SelfHostTest(environment, "crashed")
{
    private const string Account = "crashed";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Retry_AfterACrashBetweenWrites_FinishesTheSameRunAndTheSameTurn()
    {
        using TestRepository repo = TestRepository.Create();
        StorageClients clients = new(Options.Create(new StorageOptions { ConnectionString = Environment.StorageConnectionString, NamePrefix = Environment.NamePrefix }));
        DateTimeOffset crashedAt = TimeProvider.System.GetUtcNow() - TimeSpan.FromMinutes(3);

        // The create died after its run row: prompt, turn 1 and run stored; no status event, no orchestration, no answer.
        string runId = RunIds.New(crashedAt);
        string createBody = JsonNodeText(new JsonObject { ["repository"] = repo.Path, ["prompt"] = "say Recovered.", ["modelId"] = "scripted/model" });
        await SeedReservationAsync(clients, "create-1", "/api/v1/coding-agent/runs", createBody, crashedAt, runId);
        await new PromptStore(clients).PutAsync(runId, 1, "say Recovered.", CancellationToken.None);
        await new TurnStore(clients).InsertAsync(new TurnRecord { RunId = runId, Turn = 1, Status = TurnStatuses.Queued, AcceptedAt = crashedAt }, CancellationToken.None);
        await new RunStore(clients).InsertAsync(TestRuns.Record(Account, runId, RunStatuses.Queued, crashedAt, repo.Path), CancellationToken.None);

        using ApiClient api = new(Host.BaseUrl, Key);
        using (HttpResponseMessage retried = await PostRawAsync(api, "runs", createBody, "create-1"))
        {
            Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
            Assert.Equal(runId, (string)(await ApiClient.BodyAsync(retried))["run"]!["id"]!);
        }

        (JsonNode idle, _) = await api.WaitForAsync(runId, r => (string)r["status"]! == "idle", RunTimeout);
        Assert.Equal("Recovered.", (string)idle["assistantText"]!);
        using (HttpResponseMessage list = await api.GetAsync("runs"))
        {
            Assert.Single((await ApiClient.BodyAsync(list))["runs"]!.AsArray());
        }

        // The accept died right after numbering turn 2: the run counts it, nothing else was written.
        string messageBody = JsonNodeText(new JsonObject { ["prompt"] = "say Second, recovered." });
        await SeedReservationAsync(clients, "message-2", $"/api/v1/coding-agent/runs/{runId}/messages", messageBody, crashedAt, "2");
        await new SandboxInspector(Environment).UpdateRunRecordAsync(Account, runId, r => r with { AcceptedTurns = 2 });
        using (HttpResponseMessage retried = await PostRawAsync(api, $"runs/{runId}/messages", messageBody, "message-2"))
        {
            Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
            Assert.Equal(2, (int)(await ApiClient.BodyAsync(retried))["turn"]!["number"]!);
        }

        (JsonNode second, _) = await api.WaitForAsync(runId, r => (string)r["status"]! == "idle" && (int)r["currentTurn"]! == 2, RunTimeout);
        Assert.Equal("Second, recovered.", (string)second["assistantText"]!);
        Assert.Equal(2, (int)second["currentTurn"]!);

        // A create that died earlier, after its turn row and before its run row, is finished the same way.
        string early = RunIds.New(crashedAt);
        string earlyBody = JsonNodeText(new JsonObject { ["repository"] = repo.Path, ["prompt"] = "say Early.", ["modelId"] = "scripted/model" });
        await SeedReservationAsync(clients, "create-early", "/api/v1/coding-agent/runs", earlyBody, crashedAt, early);
        await new PromptStore(clients).PutAsync(early, 1, "say Early.", CancellationToken.None);
        await new TurnStore(clients).InsertAsync(new TurnRecord { RunId = early, Turn = 1, Status = TurnStatuses.Queued, AcceptedAt = crashedAt }, CancellationToken.None);
        using (HttpResponseMessage retried = await PostRawAsync(api, "runs", earlyBody, "create-early"))
        {
            Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
            Assert.Equal(early, (string)(await ApiClient.BodyAsync(retried))["run"]!["id"]!);
        }

        Assert.Equal("Early.", (string)(await api.WaitForAsync(early, r => (string)r["status"]! == "idle", RunTimeout)).Run["assistantText"]!);

        // And the answer is now stored: a third try replays it without a third turn.
        using (HttpResponseMessage replay = await PostRawAsync(api, $"runs/{runId}/messages", messageBody, "message-2"))
        {
            Assert.Equal(2, (int)(await ApiClient.BodyAsync(replay))["turn"]!["number"]!);
        }
    }

    private static string JsonNodeText(JsonObject body) => body.ToJsonString();

    private static async Task<HttpResponseMessage> PostRawAsync(ApiClient api, string path, string body, string idempotencyKey)
    {
        using HttpRequestMessage request = new(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await api.SendAsync(request);
    }

    // The reservation a first attempt holds (its fingerprint is method, path and body, as the API computes it) with its intent.
    private static async Task SeedReservationAsync(StorageClients clients, string key, string path, string body, DateTimeOffset reservedAt, string intent)
    {
        using IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"POST {path}\n"));
        hash.AppendData(Encoding.UTF8.GetBytes(body));
        TableClient table = await clients.TableAsync(StorageNames.Idempotency, CancellationToken.None);
        await table.AddEntityAsync(new TableEntity(Account, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))))
        {
            ["Fingerprint"] = Convert.ToHexStringLower(hash.GetHashAndReset()),
            ["ReservedAt"] = reservedAt,
            ["Intent"] = intent,
        });
    }
}
