using Azure.Data.Tables;
using CodingAgent.Model;

namespace CodingAgent.Storage;

internal static class RunEntityMapper
{
    public static TableEntity ToEntity(RunRecord run)
    {
        TableEntity entity = new(run.Account, run.RunId)
        {
            [nameof(RunRecord.Status)] = run.Status,
            [nameof(RunRecord.SessionActive)] = run.SessionActive,
            [nameof(RunRecord.SessionExpiresAt)] = run.SessionExpiresAt,
            [nameof(RunRecord.EndReason)] = run.EndReason,
            [nameof(RunRecord.Repository)] = run.Repository,
            [nameof(RunRecord.CloneUrl)] = run.CloneUrl,
            [nameof(RunRecord.Ref)] = run.Ref,
            [nameof(RunRecord.BaseSha)] = run.BaseSha,
            [nameof(RunRecord.ModelId)] = run.ModelId,
            [nameof(RunRecord.TaskKind)] = run.TaskKind,
            [nameof(RunRecord.ValidationMode)] = run.ValidationMode,
            [nameof(RunRecord.BillingMode)] = run.BillingMode,
            [nameof(RunRecord.PublishMode)] = run.PublishMode,
            [nameof(RunRecord.CurrentTurn)] = run.CurrentTurn,
            [nameof(RunRecord.AcceptedTurns)] = run.AcceptedTurns,
            [nameof(RunRecord.CompletedTurns)] = run.CompletedTurns,
            [nameof(RunRecord.AssistantText)] = run.AssistantText,
            [nameof(RunRecord.ContinuedFrom)] = run.ContinuedFrom,
            [nameof(RunRecord.ReplyTo)] = run.ReplyTo,
            [nameof(RunRecord.WebhookUrl)] = run.WebhookUrl,
            [nameof(RunRecord.HasSubscriptions)] = run.HasSubscriptions,
            [nameof(RunRecord.IdleTimeoutSeconds)] = run.IdleTimeoutSeconds,
            [nameof(RunRecord.MaxLifetimeSeconds)] = run.MaxLifetimeSeconds,
            [nameof(RunRecord.EndRequested)] = run.EndRequested,
            [nameof(RunRecord.ValidationCommand)] = run.ValidationCommand,
            [nameof(RunRecord.ValidationTimeoutSeconds)] = run.ValidationTimeoutSeconds,
            [nameof(RunRecord.MaxFixAttempts)] = run.MaxFixAttempts,
            [nameof(RunRecord.FixSourceTurn)] = run.FixSourceTurn,
            [nameof(RunRecord.FixTurn)] = run.FixTurn,
            [nameof(RunRecord.ApiBaseUrl)] = run.ApiBaseUrl,
            [nameof(RunRecord.PatchTruncated)] = run.PatchTruncated,
            [nameof(RunRecord.UsageThroughTurn)] = run.UsageThroughTurn,
            [nameof(RunRecord.SandboxStartedAt)] = run.SandboxStartedAt,
            [nameof(RunRecord.CreatedAt)] = run.CreatedAt,
            [nameof(RunRecord.UpdatedAt)] = run.UpdatedAt,
        };
        EntityJson.Put(entity, nameof(RunRecord.PatchStats), run.PatchStats);
        EntityJson.Put(entity, nameof(RunRecord.Usage), run.Usage);
        EntityJson.Put(entity, nameof(RunRecord.Phases), run.Phases);
        EntityJson.Put(entity, nameof(RunRecord.Error), run.Error);
        EntityJson.Put(entity, nameof(RunRecord.Tags), run.Tags);
        EntityJson.Put(entity, nameof(RunRecord.WebhookEvents), run.WebhookEvents);
        EntityJson.Put(entity, nameof(RunRecord.Agent), run.Agent);
        EntityJson.Put(entity, nameof(RunRecord.Publish), run.Publish);
        EntityJson.Put(entity, nameof(RunRecord.Validation), run.Validation);
        EntityJson.Put(entity, nameof(RunRecord.ValidationBaseline), run.ValidationBaseline);
        return entity;
    }

    public static RunRecord FromEntity(TableEntity entity) => new()
    {
        Account = entity.PartitionKey,
        RunId = entity.RowKey,
        Status = entity.GetString(nameof(RunRecord.Status)),
        SessionActive = entity.GetBoolean(nameof(RunRecord.SessionActive)) ?? false,
        SessionExpiresAt = entity.GetDateTimeOffset(nameof(RunRecord.SessionExpiresAt)),
        EndReason = entity.GetString(nameof(RunRecord.EndReason)),
        Repository = entity.GetString(nameof(RunRecord.Repository)),
        CloneUrl = entity.GetString(nameof(RunRecord.CloneUrl)),
        Ref = entity.GetString(nameof(RunRecord.Ref)),
        BaseSha = entity.GetString(nameof(RunRecord.BaseSha)),
        ModelId = entity.GetString(nameof(RunRecord.ModelId)),
        TaskKind = entity.GetString(nameof(RunRecord.TaskKind)),
        ValidationMode = entity.GetString(nameof(RunRecord.ValidationMode)),
        BillingMode = entity.GetString(nameof(RunRecord.BillingMode)),
        PublishMode = entity.GetString(nameof(RunRecord.PublishMode)),
        CurrentTurn = entity.GetInt32(nameof(RunRecord.CurrentTurn)) ?? 0,
        AcceptedTurns = entity.GetInt32(nameof(RunRecord.AcceptedTurns)) ?? 0,
        CompletedTurns = entity.GetInt32(nameof(RunRecord.CompletedTurns)) ?? 0,
        AssistantText = entity.GetString(nameof(RunRecord.AssistantText)),
        ContinuedFrom = entity.GetString(nameof(RunRecord.ContinuedFrom)),
        ReplyTo = entity.GetString(nameof(RunRecord.ReplyTo)),
        WebhookUrl = entity.GetString(nameof(RunRecord.WebhookUrl)),
        HasSubscriptions = entity.GetBoolean(nameof(RunRecord.HasSubscriptions)) ?? false,
        IdleTimeoutSeconds = entity.GetInt32(nameof(RunRecord.IdleTimeoutSeconds)) ?? 0,
        MaxLifetimeSeconds = entity.GetInt32(nameof(RunRecord.MaxLifetimeSeconds)) ?? 0,
        EndRequested = entity.GetBoolean(nameof(RunRecord.EndRequested)) ?? false,
        ValidationCommand = entity.GetString(nameof(RunRecord.ValidationCommand)),
        ValidationTimeoutSeconds = entity.GetInt32(nameof(RunRecord.ValidationTimeoutSeconds)) ?? 0,
        MaxFixAttempts = entity.GetInt32(nameof(RunRecord.MaxFixAttempts)) ?? 0,
        FixSourceTurn = entity.GetInt32(nameof(RunRecord.FixSourceTurn)),
        FixTurn = entity.GetInt32(nameof(RunRecord.FixTurn)),
        ApiBaseUrl = entity.GetString(nameof(RunRecord.ApiBaseUrl)),
        PatchTruncated = entity.GetBoolean(nameof(RunRecord.PatchTruncated)) ?? false,
        UsageThroughTurn = entity.GetInt32(nameof(RunRecord.UsageThroughTurn)) ?? 0,
        SandboxStartedAt = entity.GetDateTimeOffset(nameof(RunRecord.SandboxStartedAt)),
        CreatedAt = entity.GetDateTimeOffset(nameof(RunRecord.CreatedAt)) ?? DateTimeOffset.MinValue,
        UpdatedAt = entity.GetDateTimeOffset(nameof(RunRecord.UpdatedAt)) ?? DateTimeOffset.MinValue,
        PatchStats = EntityJson.Get<PatchStats>(entity, nameof(RunRecord.PatchStats)),
        Usage = EntityJson.Get<Usage>(entity, nameof(RunRecord.Usage)) ?? Usage.Zero,
        Phases = EntityJson.Get<List<PhaseRecord>>(entity, nameof(RunRecord.Phases)) ?? [],
        Error = EntityJson.Get<RunError>(entity, nameof(RunRecord.Error)),
        Tags = EntityJson.Get<List<string>>(entity, nameof(RunRecord.Tags)) ?? [],
        WebhookEvents = EntityJson.Get<List<string>>(entity, nameof(RunRecord.WebhookEvents)) ?? [],
        Agent = EntityJson.Get<AgentLocation>(entity, nameof(RunRecord.Agent)),
        Publish = EntityJson.Get<PublishState>(entity, nameof(RunRecord.Publish)),
        Validation = EntityJson.Get<ValidationVerdict>(entity, nameof(RunRecord.Validation)),
        ValidationBaseline = EntityJson.Get<ValidationBaseline>(entity, nameof(RunRecord.ValidationBaseline)),
        ETag = entity.ETag.ToString(),
    };
}
