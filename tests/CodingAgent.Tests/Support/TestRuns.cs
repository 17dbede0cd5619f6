using CodingAgent.Model;

namespace CodingAgent.Tests.Support;

/// <summary>A minimal stored run record, for tests that lay down storage directly (a crash's leftovers, a janitor's input).</summary>
public static class TestRuns
{
    public static RunRecord Record(string account, string runId, string status, DateTimeOffset createdAt, string repository = "owner/name") => new()
    {
        Account = account,
        RunId = runId,
        Status = status,
        Repository = repository,
        CloneUrl = repository.StartsWith('/') ? repository : $"https://github.com/{repository}.git",
        ModelId = "scripted/model",
        TaskKind = TaskKinds.Code,
        ValidationMode = ValidationModes.Minimal,
        BillingMode = "managed",
        PublishMode = PublishModes.None,
        AcceptedTurns = 1,
        IdleTimeoutSeconds = 900,
        MaxLifetimeSeconds = 86_400,
        CreatedAt = createdAt,
        UpdatedAt = createdAt,
    };
}
