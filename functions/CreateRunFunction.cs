using CodingAgent.Api;
using CodingAgent.Api.Auth;
using CodingAgent.Api.Contracts;
using CodingAgent.Application;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace CodingAgent.Functions;

public sealed class CreateRunFunction(PostRequests posts, CreateRunValidator validator, RunCommands commands)
{
    [Function(nameof(CreateRun))]
    public Task<IResult> CreateRun(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Runs)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        posts.HandleAsync(request, Scopes.Write, (principal, body) => CreateAsync(request, principal, body, durable));

    private async Task<IResult> CreateAsync(HttpRequest request, ApiPrincipal principal, byte[] body, DurableTaskClient durable)
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

        CreateOutcome outcome = await commands.CreateAsync(principal.Account, run, durable, context.RequestAborted).ConfigureAwait(false);
        return outcome switch
        {
            CreateOutcome.Created created => RunResponses.Accepted(
                new RunEnvelope(RunResource.From(created.Run, ApiRoutes.BaseUrl(request))), RunResponses.TurnUrl(request, created.Run.RunId, 1)),
            CreateOutcome.Rejected rejected => Problems.InvalidRequest(context, new Dictionary<string, string[]> { [rejected.Member] = [rejected.Message] }),
            CreateOutcome.Limited limited => Problems.TooManyRequests(context, limited.Limit.Code, limited.Limit.Detail, limited.Limit.RetryAfterSeconds),
            _ => throw new InvalidOperationException($"Unexpected outcome {outcome}."),
        };
    }
}
