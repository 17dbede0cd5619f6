using System.Text.Json.Nodes;

namespace CodingAgent.Agent;

/// <summary>
/// The headless configuration OpenCode gets through <c>OPENCODE_CONFIG_CONTENT</c>: one OpenAI-compatible provider
/// with the run's model, nothing ever at <c>ask</c>, no sharing, no updates (docs/opencode.md §2, §5).
/// </summary>
public static class OpenCodeConfig
{
    public const string ProviderId = "codingagent";
    public const string ModelKeyVariable = "CODING_AGENT_MODEL_TOKEN";

    public static string Build(string modelId, string modelBaseUrl, bool hasModelKey, bool planOnly)
    {
        string editing = planOnly ? "deny" : "allow";
        JsonObject options = new() { ["baseURL"] = modelBaseUrl };
        if (hasModelKey)
        {
            options["apiKey"] = "{env:" + ModelKeyVariable + "}";
        }

        JsonObject config = new()
        {
            ["$schema"] = "https://opencode.ai/config.json",
            ["autoupdate"] = false,
            ["share"] = "disabled",
            // Diffs come from git in the sandbox; OpenCode's shadow snapshot would cost a git add per step.
            ["snapshot"] = false,
            ["model"] = $"{ProviderId}/{modelId}",
            ["small_model"] = $"{ProviderId}/{modelId}",
            ["enabled_providers"] = new JsonArray(ProviderId),
            ["provider"] = new JsonObject
            {
                [ProviderId] = new JsonObject
                {
                    ["npm"] = "@ai-sdk/openai-compatible",
                    ["name"] = "Coding Agent model endpoint",
                    ["options"] = options,
                    ["models"] = new JsonObject
                    {
                        [modelId] = new JsonObject
                        {
                            ["name"] = modelId,
                            ["tool_call"] = true,
                            ["limit"] = new JsonObject { ["context"] = 128_000, ["output"] = 8_192 },
                        },
                    },
                },
            },
            ["permission"] = new JsonObject
            {
                ["read"] = "allow",
                ["edit"] = editing,
                ["bash"] = editing,
                ["glob"] = "allow",
                ["grep"] = "allow",
                ["list"] = "allow",
                ["task"] = "allow",
                ["skill"] = "allow",
                ["todowrite"] = "allow",
                ["doom_loop"] = "allow",
                ["external_directory"] = "deny",
                ["question"] = "deny",
                ["webfetch"] = "deny",
                ["websearch"] = "deny",
            },
        };
        return config.ToJsonString();
    }

    /// <summary>Environment that keeps OpenCode offline except for the model (docs/opencode.md §8 item 2).</summary>
    /// <param name="modelToken">The run's model-gateway token (never a provider key: the gateway holds those).</param>
    public static Dictionary<string, string> Environment(string configJson, string serverPassword, string? modelToken)
    {
        Dictionary<string, string> env = new()
        {
            ["OPENCODE_CONFIG_CONTENT"] = configJson,
            ["OPENCODE_SERVER_PASSWORD"] = serverPassword,
            ["OPENCODE_DISABLE_MODELS_FETCH"] = "1",
            ["OPENCODE_DISABLE_AUTOUPDATE"] = "1",
            ["OPENCODE_DISABLE_SHARE"] = "1",
            ["OPENCODE_DISABLE_PROJECT_CONFIG"] = "1",
            ["OPENCODE_DISABLE_EXTERNAL_SKILLS"] = "1",
            ["OPENCODE_DISABLE_CLAUDE_CODE"] = "1",
            ["OPENCODE_DISABLE_LSP_DOWNLOAD"] = "1",
        };
        if (modelToken is { Length: > 0 })
        {
            env[ModelKeyVariable] = modelToken;
        }

        return env;
    }
}
