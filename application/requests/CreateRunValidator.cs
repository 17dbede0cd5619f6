using System.Text.RegularExpressions;
using CodingAgent.Application;
using CodingAgent.Application.Notifications;
using CodingAgent.Model;
using CodingAgent.Configuration;
using Microsoft.Extensions.Options;

namespace CodingAgent.Application.Requests;

/// <summary>Checks a create body member by member; every problem is reported, nothing is created unless all pass.</summary>
public sealed partial class CreateRunValidator(IOptions<CodingAgentOptions> options, PublishRules publishRules)
{
    private const int MaxWebhookUrlLength = 2048;

    private const int MaxTags = 20;
    private const int MaxValidationCommandLength = 4000;

    public (NewRun? Run, Dictionary<string, string[]> Errors) Validate(CreateRunRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        CodingAgentOptions settings = options.Value;
        Dictionary<string, string[]> errors = [];
        void Fail(string member, string message) => errors[member] = [.. errors.GetValueOrDefault(member, []), message];

        // A continuing run may leave out the repository: it works on the previous run's.
        bool continuing = request.ContinueFrom is not null;
        (string Display, string CloneUrl)? repository = null;
        if (!continuing || request.Repository is not null)
        {
            repository = RepositoryLocation.Resolve(request.Repository, settings.Repositories, out string? repositoryError);
            if (repositoryError is not null)
            {
                Fail("repository", repositoryError);
            }
        }

        if (continuing && !RunIds.IsWellFormed(request.ContinueFrom))
        {
            Fail("continueFrom", "A run id such as 'run_8220000000000abcdefghij'.");
        }

        if (request.Ref is { } gitRef && !GitRef().IsMatch(gitRef))
        {
            Fail("ref", "Must be a branch, tag or commit: letters, digits and . _ / -, not starting with '-' or containing '..'.");
        }

        PromptRules.Check(request.Prompt, "prompt", settings.Limits.MaxPromptCharacters, Fail);

        if (string.IsNullOrWhiteSpace(request.ModelId))
        {
            Fail("modelId", "Required, e.g. 'anthropic/claude-sonnet-4.6'.");
        }
        else if (!ModelId().IsMatch(request.ModelId))
        {
            Fail("modelId", "Letters, digits and . _ : / - only, at most 200 characters.");
        }
        else if (!ModelAllowList.Allows(settings.Model.AllowedModels, request.ModelId))
        {
            Fail("modelId", $"Not a model of this deployment; allowed: {string.Join(", ", settings.Model.AllowedModels)}.");
        }

        string taskKind = request.TaskKind ?? TaskKinds.Code;
        if (taskKind is not (TaskKinds.Code or TaskKinds.Plan))
        {
            Fail("taskKind", "Must be 'code' or 'plan'.");
        }

        if (request.Billing?.Mode is { } billing && billing != "managed")
        {
            Fail("billing.mode", billing == "openrouter"
                ? "'openrouter' billing is not available in this version; use 'managed'."
                : "Must be 'managed' or 'openrouter'.");
        }

        string publishMode = request.Publish?.Mode ?? PublishModes.None;
        if (publishMode is not (PublishModes.None or PublishModes.Branch or PublishModes.DraftPullRequest))
        {
            Fail("publish.mode", "Must be 'none', 'branch' or 'draft_pr'.");
        }
        else if (repository is { } target && publishRules.Check(target.Display, target.CloneUrl, publishMode) is { } publishError)
        {
            Fail("publish.mode", publishError);
        }

        if (request.Publish?.Branch is { } branch)
        {
            if (publishMode == PublishModes.None)
            {
                Fail("publish.branch", "Only with publish.mode 'branch' or 'draft_pr'.");
            }
            else if (!BranchName().IsMatch(branch))
            {
                Fail("publish.branch", "A git branch name: letters, digits and . _ / -, not starting with '-' or '/', without '..', '//' or a trailing '/', '.' or '.lock'.");
            }
        }

        string validationMode = request.ValidationMode ?? ValidationModes.Minimal;
        if (validationMode is not (ValidationModes.Minimal or ValidationModes.Basic or ValidationModes.Tests))
        {
            Fail("validationMode", "Must be 'minimal', 'basic' or 'tests'.");
        }

        ValidationRequest validation = request.Validation ?? new ValidationRequest(null, null, null);
        if (request.Validation is not null && validationMode == ValidationModes.Minimal)
        {
            Fail("validation", "Validation settings need validationMode 'basic' or 'tests'.");
        }

        if (validation.Command is { } command && (string.IsNullOrWhiteSpace(command) || command.Length > MaxValidationCommandLength || command.Contains('\0', StringComparison.Ordinal)))
        {
            Fail("validation.command", $"A shell command of 1–{MaxValidationCommandLength} characters.");
        }

        if (validation.MaxFixAttempts is { } fixes && (fixes < 0 || fixes > settings.Validation.MaxFixAttempts))
        {
            Fail("validation.maxFixAttempts", $"Must be between 0 and {settings.Validation.MaxFixAttempts}.");
        }

        if (validation.TimeoutSeconds is { } seconds && (seconds < 1 || seconds > settings.Validation.MaxTimeoutSeconds))
        {
            Fail("validation.timeoutSeconds", $"Must be between 1 and {settings.Validation.MaxTimeoutSeconds}.");
        }

        IReadOnlyList<string> webhookEvents = request.Webhook?.Events ?? RunNotificationTypes.All;
        if (request.Webhook is { } webhook)
        {
            if (string.IsNullOrWhiteSpace(webhook.Url) || webhook.Url.Length > MaxWebhookUrlLength)
            {
                Fail("webhook.url", $"Required: an https URL of at most {MaxWebhookUrlLength} characters.");
            }

            if (webhookEvents.Count == 0 || webhookEvents.Any(e => !RunNotificationTypes.All.Contains(e, StringComparer.Ordinal)))
            {
                Fail("webhook.events", $"One or more of {string.Join(", ", RunNotificationTypes.All)} (default: all).");
            }
        }

        int idle = request.Session?.IdleTimeoutSeconds ?? settings.Session.IdleTimeoutSeconds;
        int lifetime = request.Session?.MaxLifetimeSeconds ?? settings.Session.MaxLifetimeSeconds;
        // The deployment's maximum lifetime is both the default and the ceiling a run may ask for.
        int longest = settings.Session.MaxLifetimeSeconds;
        if (idle < 1 || idle > longest)
        {
            Fail("session.idleTimeoutSeconds", $"Must be between 1 and {longest}.");
        }

        if (lifetime < idle || lifetime > longest)
        {
            Fail("session.maxLifetimeSeconds", $"Must be at least idleTimeoutSeconds and at most {longest} (this deployment's maximum run lifetime).");
        }

        IReadOnlyList<string> tags = request.Tags ?? [];
        if (tags.Count > MaxTags || tags.Any(t => t is null || !Tag().IsMatch(t)))
        {
            Fail("tags", $"At most {MaxTags} tags of 1–64 letters, digits and . _ : -.");
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new NewRun(repository?.Display, repository?.CloneUrl, request.Ref, request.Prompt!, request.ModelId!, taskKind,
            validationMode, "managed", publishMode, idle, lifetime, tags, request.ContinueFrom)
        {
            ValidationCommand = validation.Command,
            ValidationTimeoutSeconds = validation.TimeoutSeconds ?? settings.Validation.TimeoutSeconds,
            MaxFixAttempts = validation.MaxFixAttempts ?? 0,
            PublishBranch = request.Publish?.Branch,
            WebhookUrl = request.Webhook?.Url,
            WebhookEvents = request.Webhook is null ? [] : [.. webhookEvents.Distinct(StringComparer.Ordinal)],
        }, errors);
    }

    [GeneratedRegex(@"^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]{1,200}$")]
    private static partial Regex GitRef();

    [GeneratedRegex(@"^(?!-)[A-Za-z0-9._:/-]{1,200}$")]
    private static partial Regex ModelId();

    [GeneratedRegex(@"^(?![-/])(?!.*\.\.)(?!.*//)(?!.*@\{)[A-Za-z0-9._/-]{1,200}(?<![/.])(?<!\.lock)$")]
    private static partial Regex BranchName();

    [GeneratedRegex(@"^[A-Za-z0-9._:-]{1,64}$")]
    private static partial Regex Tag();
}
