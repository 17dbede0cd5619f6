using CodingAgent.Api;
using CodingAgent.Api.OpenApi;
using CodingAgent.Model;
using CodingAgent.Gateway;
using CodingAgent.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Azure.Functions.Worker;

namespace CodingAgent.Functions;

/// <summary>
/// The model gateway: OpenCode in a sandbox posts its chat/completions here with its run's token; the control plane adds
/// the real provider key, pins the run's model, streams the answer back and records the call's usage.
/// </summary>
public sealed class ModelGatewayFunction(GatewayAuthorizer authorizer, ModelForwarder forwarder)
{
    private const int MaxRequestBytes = 16 * 1024 * 1024;

    [Function(nameof(ModelGateway))]
    [ApiOperation("Model gateway for sandboxes: an OpenAI-compatible chat/completions endpoint.",
        Description = "Authenticated by the run's gateway token (`Authorization: Bearer mgw.…`), valid only while the run's session is active. "
            + "Not for API clients: OpenCode in the run's sandbox is configured with it.")]
    [ApiHeader("Authorization", "`Bearer` and the run's gateway token.")]
    [ApiRequestBody(typeof(object))]
    [ApiResponse(StatusCodes.Status200OK, typeof(object), Description = "The provider's answer, streamed as it arrives (JSON or `text/event-stream`).")]
    [ApiResponse(StatusCodes.Status400BadRequest, Problem = ProblemCodes.InvalidRequest)]
    [ApiResponse(StatusCodes.Status401Unauthorized, Problem = ProblemCodes.Unauthorized, Description = "No token, a wrong one, or the run's session is no longer active.")]
    [ApiResponse(StatusCodes.Status413PayloadTooLarge, Problem = ProblemCodes.PayloadTooLarge)]
    [ApiResponse(StatusCodes.Status415UnsupportedMediaType, Problem = ProblemCodes.UnsupportedMediaType)]
    [ApiResponse(StatusCodes.Status502BadGateway, Problem = ProblemCodes.ModelProviderUnreachable)]
    public async Task<IResult> ModelGateway(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GatewayRoutes.ChatCompletions)] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        HttpContext context = request.HttpContext;
        CancellationToken cancellationToken = context.RequestAborted;
        RunRecord? run = await authorizer.AuthorizeAsync(request.Headers.Authorization.FirstOrDefault(), cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return Problems.Unauthorized(context, "Send the run's gateway token; it is valid only while the run's session is active.");
        }

        // OpenCode sends no trace context; the run's id on this request's span links the model call to the run.
        AgentTelemetry.TagCurrent(run.Key, run.CurrentTurn);

        (byte[]? body, IResult? problem) = await JsonBody.ReadAsync(context, MaxRequestBytes).ConfigureAwait(false);
        if (body is null)
        {
            return problem!;
        }

        if (ModelForwarder.Rewrite(body, run.ModelId) is not { } rewritten)
        {
            return Problems.InvalidRequest(context, new Dictionary<string, string[]> { ["body"] = ["A chat/completions request (a JSON object)."] });
        }

        HttpResponseMessage answer;
        try
        {
            answer = await forwarder.SendAsync(rewritten, request.Headers.Accept.FirstOrDefault(), cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            return Problems.Create(context, StatusCodes.Status502BadGateway, ProblemCodes.ModelProviderUnreachable, "The model provider did not answer.",
                $"The gateway could not reach the configured model provider ({ex.HttpRequestError}).");
        }

        return new Relayed(forwarder, run, answer);
    }

    private sealed class Relayed(ModelForwarder forwarder, RunRecord run, HttpResponseMessage answer) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            using (answer)
            {
                HttpResponse response = httpContext.Response;
                response.StatusCode = (int)answer.StatusCode;
                response.ContentType = answer.Content.Headers.ContentType?.ToString() ?? "application/json";
                response.Headers.CacheControl = "no-cache";
                httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
                await forwarder.RelayAsync(run, answer, response.Body, httpContext.RequestAborted).ConfigureAwait(false);
            }
        }
    }
}
