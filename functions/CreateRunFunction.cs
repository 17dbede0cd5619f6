using CodingAgent.Api;
using CodingAgent.Api.Auth;
using CodingAgent.Api.Contracts;
using CodingAgent.Application;
using CodingAgent.Application.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace CodingAgent.Functions;

public sealed class CreateRunFunction(ApiKeyAuthenticator auth, CreateRunValidator validator, RunCommands commands)
{
    [Function(nameof(CreateRun))]
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
        return RunResponses.Accepted(request.HttpContext, new { run = RunResource.From(created, ApiRoutes.BaseUrl(request)) },
            RunResponses.TurnUrl(request, created.RunId, 1));
    }
}
