using CodingAgent.Api;
using CodingAgent.Api.Auth;
using CodingAgent.Api.Contracts;
using CodingAgent.Api.OpenApi;
using CodingAgent.Application;
using CodingAgent.Application.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace CodingAgent.Functions;

public sealed class CreateRunFunction(ApiKeyAuthenticator auth, CreateRunValidator validator, RunCommands commands)
{
    [Function(nameof(CreateRun))]
    [ApiOperation("Start a run: a sandbox with the repository, an OpenCode session and the first turn.", Scope = Scopes.Write)]
    [ApiHeader(KnownHeaders.IdempotencyKey)]
    [ApiRequestBody(typeof(CreateRunRequest))]
    [ApiResponse(StatusCodes.Status202Accepted, typeof(RunEnvelope), Headers = "Location,Retry-After",
        Description = "The run is queued; Location is its turn 1.")]
    [ApiResponse(StatusCodes.Status400BadRequest, Problem = ProblemCodes.InvalidRequest)]
    [ApiResponse(StatusCodes.Status401Unauthorized, Problem = ProblemCodes.Unauthorized)]
    [ApiResponse(StatusCodes.Status403Forbidden, Problem = ProblemCodes.Forbidden)]
    [ApiResponse(StatusCodes.Status413PayloadTooLarge, Description = "The body exceeds the size limit.")]
    [ApiResponse(StatusCodes.Status415UnsupportedMediaType, Problem = ProblemCodes.UnsupportedMediaType)]
    [ApiResponse(StatusCodes.Status422UnprocessableEntity, Problem = ProblemCodes.IdempotencyKeyReused)]
    [ApiResponse(StatusCodes.Status429TooManyRequests, Headers = "Retry-After", Description = "The account's limit of runs or active sessions is reached.")]
    public async Task<IResult> CreateRun(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Runs)] HttpRequest request,
        [DurableClient] DurableTaskClient durable)
    {
        ArgumentNullException.ThrowIfNull(request);
        (ApiPrincipal? principal, IResult? failure) = await auth.AuthenticateAsync(request.HttpContext, Scopes.Write).ConfigureAwait(false);
        if (principal is null)
        {
            return failure!;
        }

        (CreateRunRequest? body, IResult? problem) = await JsonBody.ReadAsync<CreateRunRequest>(request.HttpContext).ConfigureAwait(false);
        if (body is null)
        {
            return problem!;
        }

        (NewRun? run, Dictionary<string, string[]> errors) = validator.Validate(body);
        if (run is null)
        {
            return Problems.InvalidRequest(request.HttpContext, errors);
        }

        RunRecord created = await commands.CreateAsync(principal.Account, run, durable, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return RunResponses.Accepted(request.HttpContext, new RunEnvelope(RunResource.From(created, ApiRoutes.BaseUrl(request))),
            RunResponses.TurnUrl(request, created.RunId, 1));
    }
}
