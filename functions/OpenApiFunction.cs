using System.Text.Json.Nodes;
using CodingAgent.Api;
using CodingAgent.Api.OpenApi;
using CodingAgent.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace CodingAgent.Functions;

/// <summary>The OpenAPI 3.1 document of this API (<c>GET /openapi.json</c>, no auth), generated once from the functions' attributes.</summary>
public sealed class OpenApiFunction
{
    private static readonly Lazy<JsonObject> Document = new(() => OpenApiDocumentBuilder.Build(FunctionCatalog.HttpFunctions(typeof(OpenApiFunction).Assembly)));

    [Function(nameof(OpenApi))]
    [ApiOperation("The OpenAPI 3.1 document of this API.")]
    [ApiResponse(StatusCodes.Status200OK, typeof(JsonObject), Description = "The OpenAPI document; its server is the host that answered.")]
    public IResult OpenApi(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.OpenApi)] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        JsonObject document = (JsonObject)Document.Value.DeepClone();
        document["servers"] = new JsonArray(new JsonObject { ["url"] = $"{request.Scheme}://{request.Host}{request.PathBase}" });
        return Results.Json(document);
    }
}
