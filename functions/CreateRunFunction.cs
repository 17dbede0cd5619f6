using CodingAgent.Application.Requests;
using CodingAgent.Application.Keys;
using CodingAgent.Api;
using CodingAgent.Api.Auth;
using CodingAgent.Api.Contracts;
using CodingAgent.Api.OpenApi;
using CodingAgent.Application;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace CodingAgent.Functions;

public sealed class CreateRunFunction(PostRequests posts, CreateRunValidator validator, RunCommands commands)
{
    [Function(nameof(CreateRun))]
    [ApiOperation("Start a run: a sandbox with the repository, an OpenCode session and the first turn.", Scope = Scopes.Write,
        Description = "With `continueFrom`, the new run works on the previous run's repository and ref, and its first prompt carries the previous run's prompts and final texts.")]
    [ApiHeader(KnownHeaders.IdempotencyKey)]
    [ApiRequestBody(typeof(CreateRunRequest))]
    [ApiResponse(StatusCodes.Status202Accepted, typeof(RunEnvelope), Headers = "Location,Retry-After", Description = "The run is queued; Location is its turn 1.")]
    [ApiResponse(StatusCodes.Status400BadRequest, Problem = ProblemCodes.InvalidRequest)]
    [ApiResponse(StatusCodes.Status401Unauthorized, Problem = ProblemCodes.Unauthorized)]
    [ApiResponse(StatusCodes.Status403Forbidden, Problem = ProblemCodes.Forbidden,
        Description = "`forbidden` (the key lacks the scope) or `repository_not_allowed` (the repository is not in the account's allow-list).")]
    [ApiResponse(StatusCodes.Status409Conflict, Problem = ProblemCodes.IdempotencyInProgress, Headers = "Retry-After",
        Description = "The first request with this Idempotency-Key is still being handled.")]
    [ApiResponse(StatusCodes.Status413PayloadTooLarge, Problem = ProblemCodes.PayloadTooLarge)]
    [ApiResponse(StatusCodes.Status415UnsupportedMediaType, Problem = ProblemCodes.UnsupportedMediaType)]
    [ApiResponse(StatusCodes.Status422UnprocessableEntity, Problem = ProblemCodes.IdempotencyKeyReused)]
    [ApiResponse(StatusCodes.Status429TooManyRequests, Problem = ProblemCodes.RateLimited, Headers = "Retry-After",
        Description = "`rate_limited` (run creations per minute) or `too_many_active_sessions` (active sessions per account).")]
    public Task<IResult> CreateRun(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Runs)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        posts.HandleAsync(request, Scopes.Write, (principal, body, intent) => CreateAsync(request, principal, body, intent, durable));

    private async Task<IResult> CreateAsync(HttpRequest request, ApiPrincipal principal, byte[] body, IRequestIntent intent, DurableTaskClient durable)
    {
        HttpContext context = request.HttpContext;
        (CreateRunRequest? parsed, IResult? problem) = JsonBody.Parse<CreateRunRequest>(context, body);
        if (parsed is null)
        {
            return problem!;
        }

        (NewRun? run, Dictionary<string, string[]> errors) = validator.Validate(parsed);
        if (run is null)
        {
            return Problems.InvalidRequest(context, errors);
        }

        CreateOutcome outcome = await commands.CreateAsync(principal.Account, run with { ApiBaseUrl = ApiRoutes.BaseUrl(request) }, durable, context.RequestAborted, intent)
            .ConfigureAwait(false);
        return outcome switch
        {
            CreateOutcome.Created created => RunResponses.Accepted(
                new RunEnvelope(RunResource.From(created.Run, ApiRoutes.BaseUrl(request))), RunResponses.TurnUrl(request, created.Run.RunId, 1)),
            CreateOutcome.Rejected rejected => Problems.InvalidRequest(context, new Dictionary<string, string[]> { [rejected.Member] = [rejected.Message] }),
            CreateOutcome.Forbidden forbidden => Problems.Create(context, StatusCodes.Status403Forbidden, forbidden.Code,
                "The account may not do this.", forbidden.Message),
            CreateOutcome.Limited limited => Problems.TooManyRequests(context, limited.Limit.Code, limited.Limit.Detail, limited.Limit.RetryAfterSeconds),
            _ => throw new InvalidOperationException($"Unexpected outcome {outcome}."),
        };
    }
}
