using System.Net;
using System.Text.Json.Nodes;
using CodingAgent.Tests.Support;

namespace CodingAgent.Tests.Integration;

/// <summary>
/// Validation after each turn on small real repositories: detection, the verdict, the base commit's baseline,
/// timeouts, and the automatic fix turn driven by the scripted model — real git, real opencode, real node.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class ValidationTests(TestEnvironment environment) : SelfHostTest(environment, "acme")
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    // A test script that fails while add() is wrong and prints the fix as a line the scripted model acts on, as a model
    // would act on a failure message.
    private const string TestScript = """
        const { add } = require('./calc');
        if (add(2, 2) !== 4) {
          console.log('expected add(2, 2) to be 4, got ' + add(2, 2));
          console.log('edit calc.js: a - b => a + b');
          process.exit(1);
        }
        console.log('all tests passed');
        """;

    private static TestRepository NodeProject(string test = TestScript) => TestRepository.Create(new Dictionary<string, string>
    {
        ["package.json"] = """{ "name": "calc", "version": "1.0.0", "scripts": { "test": "node test.js", "build": "node -e \"require('./calc')\"" } }""",
        ["calc.js"] = "exports.add = (a, b) => a + b;\n",
        ["test.js"] = test,
    });

    // The agent breaks a passing test: the verdict says so (the base commit passed), a fix turn carrying the failure
    // follows as turn 2, and its verdict passes.
    [Fact]
    public async Task Tests_AgentBreaksTheSuite_FixTurnCarriesTheFailureAndPasses()
    {
        using TestRepository repo = NodeProject();
        using ApiClient api = new(Host.BaseUrl, Key);
        JsonNode created = await api.CreateRunAsync(new
        {
            repository = repo.Path,
            prompt = "edit calc.js: a + b => a - b\nsay Changed add.",
            modelId = "scripted/model",
            validationMode = "tests",
            validation = new { maxFixAttempts = 1 },
        });
        string runId = (string)created["id"]!;

        (JsonNode run, _) = await api.WaitForAsync(runId, r => (string)r["status"]! == "idle" && (int)r["currentTurn"]! == 2, RunTimeout);

        JsonNode first = await api.GetSettledTurnAsync(runId, 1);
        JsonNode verdict1 = first["validation"]!;
        Assert.Equal("failed", (string)verdict1["status"]!);
        Assert.Equal("npm test", (string)verdict1["command"]!);
        Assert.Equal(1, (int)verdict1["exitCode"]!);
        Assert.False((bool)verdict1["preExisting"]!);
        Assert.Equal("passed", (string)verdict1["baseline"]!["status"]!);
        Assert.Equal(repo.Git("rev-parse", "HEAD"), (string)verdict1["baseline"]!["sha"]!);
        Assert.Contains("expected add(2, 2) to be 4, got 0", (string)verdict1["outputTail"]!, StringComparison.Ordinal);

        JsonNode second = await api.GetSettledTurnAsync(runId, 2);
        Assert.Equal(1, (int)second["fixOf"]!);
        Assert.Equal("completed", (string)second["status"]!);
        Assert.Equal("passed", (string)second["validation"]!["status"]!);
        Assert.Contains("all tests passed", (string)second["validation"]!["outputTail"]!, StringComparison.Ordinal);
        Assert.Equal("passed", (string)run["validation"]!["status"]!);
        Assert.Equal(2, (int)run["validation"]!["turn"]!);
        Assert.Equal(0, (int)run["patchStats"]!["filesChanged"]!); // the fix restored calc.js exactly

        JsonArray events = (await api.GetRunAsync(runId, events: true))["events"]!.AsArray();
        Assert.Equal(["failed", "passed"], events.Where(e => (string)e!["type"]! == "validation").Select(e => (string)e!["data"]!["status"]!));
        Assert.Equal([1, 2], events.Where(e => (string)e!["type"]! == "phase" && (string)e["data"]!["name"]! == "validate" && (string)e["data"]!["status"]! == "succeeded")
            .Select(e => (int)e!["turn"]!));
        // The run went idle only after turn 2: turn 1 settled as running, with the fix turn queued.
        Assert.DoesNotContain(events, e => (string)e!["type"]! == "run.status" && (int)e["turn"]! == 1 && (string)e["data"]!["status"]! == "idle");
        JsonNode lastStatus = events.Last(e => (string)e!["type"]! == "run.status")!;
        Assert.Equal(("idle", 2), ((string)lastStatus["data"]!["status"]!, (int)lastStatus["data"]!["currentTurn"]!));
    }

    // The suite already fails on the base commit: the failure is pre-existing, so no fix turn is asked for.
    [Fact]
    public async Task Tests_FailureAlreadyOnTheBaseCommit_IsPreExisting_NoFixTurn()
    {
        using TestRepository repo = NodeProject("console.log('known flaky failure'); process.exit(3);\n");
        using ApiClient api = new(Host.BaseUrl, Key);
        string runId = (string)(await api.CreateRunAsync(new
        {
            repository = repo.Path,
            prompt = "write notes.txt: unrelated\nsay Wrote notes.",
            modelId = "scripted/model",
            validationMode = "tests",
            validation = new { maxFixAttempts = 2 },
        }))["id"]!;

        (JsonNode run, _) = await api.WaitForAsync(runId, r => (string)r["status"]! == "idle", RunTimeout);

        JsonNode verdict = run["validation"]!;
        Assert.Equal("failed", (string)verdict["status"]!);
        Assert.Equal(3, (int)verdict["exitCode"]!);
        Assert.True((bool)verdict["preExisting"]!);
        Assert.Equal("failed", (string)verdict["baseline"]!["status"]!);
        Assert.Equal(3, (int)verdict["baseline"]!["exitCode"]!);
        Assert.Equal(1, (int)run["currentTurn"]!);
        using HttpResponseMessage noFix = await api.GetAsync($"runs/{runId}/turns/2");
        Assert.Equal(HttpStatusCode.NotFound, noFix.StatusCode);
    }

    // basic: git diff --check over the whole change finds the whitespace error the agent left; once it is gone the
    // detected build runs too.
    [Fact]
    public async Task Basic_DiffCheckFindsTrailingWhitespace_ThenTheBuildRuns()
    {
        using TestRepository repo = NodeProject();
        using ApiClient api = new(Host.BaseUrl, Key);
        string runId = (string)(await api.CreateRunAsync(new
        {
            repository = repo.Path,
            prompt = "bash: printf 'spaced   \\n' > notes.txt\nsay Wrote notes.",
            modelId = "scripted/model",
            validationMode = "basic",
        }))["id"]!;
        (JsonNode first, _) = await api.WaitForAsync(runId, r => (string)r["status"]! == "idle", RunTimeout);

        Assert.Equal("failed", (string)first["validation"]!["status"]!);
        Assert.Equal("git diff --check", (string)first["validation"]!["command"]!);
        Assert.Contains("notes.txt:1: trailing whitespace", (string)first["validation"]!["outputTail"]!, StringComparison.Ordinal);

        using HttpResponseMessage followUp = await api.PostAsync($"runs/{runId}/messages", new { prompt = "bash: printf 'tidy\\n' > notes.txt\nsay Tidied." });
        Assert.Equal(HttpStatusCode.Accepted, followUp.StatusCode);
        (JsonNode second, _) = await api.WaitForAsync(runId, r => (string)r["status"]! == "idle" && (int)r["currentTurn"]! == 2, RunTimeout);

        Assert.Equal("passed", (string)second["validation"]!["status"]!);
        Assert.Equal("git diff --check && npm run build", (string)second["validation"]!["command"]!);
    }

    // A command past its timeout is killed and the verdict is an error (no verdict), not a failure; a repository with
    // nothing to detect is skipped; and validation commands never see the control plane's settings.
    [Fact]
    public async Task Timeout_IsAnError_NothingDetected_IsSkipped_SettingsNeverReachTheSandbox()
    {
        using TestRepository plain = TestRepository.Create();
        using ApiClient api = new(Host.BaseUrl, Key);
        string slow = (string)(await api.CreateRunAsync(new
        {
            repository = plain.Path, prompt = "say Nothing.", modelId = "scripted/model", validationMode = "tests",
            validation = new { command = "echo started; sleep 60", timeoutSeconds = 2 },
        }))["id"]!;
        string undetected = (string)(await api.CreateRunAsync(new { repository = plain.Path, prompt = "say Nothing.", modelId = "scripted/model", validationMode = "tests" }))["id"]!;
        string environment = (string)(await api.CreateRunAsync(new
        {
            repository = plain.Path, prompt = "say Nothing.", modelId = "scripted/model", validationMode = "tests",
            validation = new { command = "env | grep -ic codingagent; echo \"exit:$?\"" },
        }))["id"]!;

        JsonNode timedOut = (await api.WaitForAsync(slow, r => (string)r["status"]! == "idle", RunTimeout)).Run["validation"]!;
        Assert.Equal("error", (string)timedOut["status"]!);
        Assert.True((bool)timedOut["timedOut"]!);
        Assert.Null(timedOut["exitCode"]);
        Assert.Contains("Timed out after 2 s", (string)timedOut["reason"]!, StringComparison.Ordinal);
        Assert.InRange((long)timedOut["durationMs"]!, 2000, 30_000);

        JsonNode skipped = (await api.WaitForAsync(undetected, r => (string)r["status"]! == "idle", RunTimeout)).Run["validation"]!;
        Assert.Equal("skipped", (string)skipped["status"]!);
        Assert.Contains("validation.command", (string)skipped["reason"]!, StringComparison.Ordinal);

        JsonNode scrubbed = (await api.WaitForAsync(environment, r => (string)r["status"]! == "idle", RunTimeout)).Run["validation"]!;
        Assert.Equal("0\nexit:1", (string)scrubbed["outputTail"]!);
    }
}
