using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using CodingAgent.Model;
using CodingAgent.Configuration;
using CodingAgent.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodingAgent.Gateway;

/// <summary>
/// Sends a sandbox's chat/completions request on to the configured provider with the platform's key, pinned to the run's
/// model, and records what the provider says the call used. The key never leaves this process.
/// </summary>
public sealed partial class ModelForwarder(
    IHttpClientFactory httpClients, ModelUsageStore usage, IOptions<ModelOptions> options, TimeProvider time, ILogger<ModelForwarder> logger)
{
    public const string HttpClientName = "model-gateway";

    /// <summary>The request body rewritten for the provider: the run's model, and usage asked for on a streamed answer.</summary>
    public static JsonObject? Rewrite(ReadOnlyMemory<byte> body, string modelId)
    {
        JsonObject? request;
        try
        {
            request = JsonNode.Parse(body.Span) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }

        if (request is null)
        {
            return null;
        }

        // A token in the sandbox must not buy another (dearer) model than the run was created with.
        request["model"] = modelId;
        if (request["stream"] is JsonValue stream && stream.TryGetValue(out bool streamed) && streamed)
        {
            JsonObject streamOptions = request["stream_options"] as JsonObject ?? [];
            streamOptions["include_usage"] = true;
            request["stream_options"] = streamOptions;
        }

        return request;
    }

    /// <summary>Opens the provider's answer (headers read, body not yet); the caller streams it with <see cref="RelayAsync"/>.</summary>
    public async Task<HttpResponseMessage> SendAsync(JsonObject request, string? accept, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ModelOptions model = options.Value;
        using HttpRequestMessage message = new(HttpMethod.Post, model.BaseUrl.TrimEnd('/') + "/chat/completions")
        {
            Content = new StringContent(request.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        if (model.ApiKey is { Length: > 0 } key)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (accept is { Length: > 0 } && MediaTypeWithQualityHeaderValue.TryParse(accept, out MediaTypeWithQualityHeaderValue? parsed))
        {
            message.Headers.Accept.Add(parsed);
        }

        return await httpClients.CreateClient(HttpClientName)
            .SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Copies the provider's answer to <paramref name="destination"/> as it arrives, then records its usage.</summary>
    public async Task RelayAsync(RunRecord run, HttpResponseMessage answer, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(destination);
        bool streamed = answer.Content.Headers.ContentType?.MediaType == "text/event-stream";
        UsageSniffer sniffer = new(streamed);
        Stream source = await answer.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            byte[] buffer = new byte[16 * 1024];
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                sniffer.Observe(buffer.AsSpan(0, read));
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        sniffer.Complete();
        if (answer.IsSuccessStatusCode && sniffer.Usage is { } used)
        {
            try
            {
                await usage.AddAsync(run.RunId, new ModelUsageStore.Call(
                    run.CurrentTurn, run.ModelId, used.InputTokens, used.OutputTokens, used.CachedTokens, used.CostUsd, time.GetUtcNow()),
                    CancellationToken.None).ConfigureAwait(false);
            }
            catch (Azure.RequestFailedException ex)
            {
                LogUsageNotRecorded(logger, run.RunId, ex.Status);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model usage of run {RunId} was not recorded (storage answered {Status}).")]
    private static partial void LogUsageNotRecorded(ILogger logger, string runId, int status);
}
