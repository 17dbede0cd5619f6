using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using CodingAgent.Configuration;
using CodingAgent.Model;
using CodingAgent.Storage;
using Microsoft.Extensions.Options;

namespace CodingAgent.Tests.Support;

/// <summary>
/// A self-host whose queue door has queues of its own (commands, poison, replies) and storage names of its own, and the
/// producer's side of those queues: what a queue producer sends, what its <c>replyTo</c> queue receives.
/// </summary>
public sealed class QueueDoor : IAsyncLifetime
{
    public const int MaxDequeueCount = 2;
    public const int MaxPromptCharacters = 2000;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private readonly TestEnvironment environment;
    private readonly Dictionary<string, string> settings;
    private SelfHostProcess? host;

    public QueueDoor(TestEnvironment environment, IReadOnlyList<string> allowedAccounts)
    {
        this.environment = environment;
        string suffix = RandomNumberGenerator.GetHexString(8, lowercase: true);
        settings = environment.Environment(namePrefix: "q" + suffix);
        CommandsName = "commands-" + suffix;
        settings["CodingAgent__Queue__Name"] = CommandsName;
        settings["CodingAgent__Queue__MaxDequeueCount"] = MaxDequeueCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["CodingAgent__Limits__MaxPromptCharacters"] = MaxPromptCharacters.ToString(System.Globalization.CultureInfo.InvariantCulture);
        for (int i = 0; i < allowedAccounts.Count; i++)
        {
            settings[$"CodingAgent__Queue__AllowedAccounts__{i}"] = allowedAccounts[i];
        }

        // What producers use: base64 messages, as the Functions queue trigger expects by default.
        QueueClientOptions base64 = new() { MessageEncoding = QueueMessageEncoding.Base64 };
        Commands = new QueueClient(environment.StorageConnectionString, CommandsName, base64);
        Poison = new QueueClient(environment.StorageConnectionString, CommandsName + "-poison", base64);
        Replies = new QueueClient(environment.StorageConnectionString, "replies-" + suffix, base64);
    }

    public string CommandsName { get; }

    public string NamePrefix => settings["CodingAgent__Storage__NamePrefix"];

    public string TaskHub => settings["CodingAgent__Durable__TaskHub"];

    public QueueClient Commands { get; }

    public QueueClient Poison { get; }

    public QueueClient Replies { get; }

    public SelfHostProcess Host => host ?? throw new InvalidOperationException("The queue door is not started.");

    public async Task InitializeAsync()
    {
        await Task.WhenAll(Commands.CreateIfNotExistsAsync(), Poison.CreateIfNotExistsAsync(), Replies.CreateIfNotExistsAsync());
        host = await SelfHostProcess.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }

        environment.EndSandboxProcesses();

        await Task.WhenAll(Commands.DeleteIfExistsAsync(), Poison.DeleteIfExistsAsync(), Replies.DeleteIfExistsAsync());
    }

    public Task<string> CreateKeyAsync(string account) => environment.CreateKeyAsync(account, namePrefix: NamePrefix);

    public async Task<string> SendAsync(object command) => await SendTextAsync(JsonSerializer.Serialize(command));

    public async Task<string> SendTextAsync(string text) => (await Commands.SendMessageAsync(text)).Value.MessageId;

    /// <summary>What the door recorded for the account's messages, once <paramref name="done"/> holds.</summary>
    public async Task<IReadOnlyList<QueueCommandRecord>> RecordsAsync(string account, Func<IReadOnlyList<QueueCommandRecord>, bool> done, TimeSpan timeout)
    {
        QueueCommandStore store = new(new StorageClients(Options.Create(new StorageOptions
        {
            ConnectionString = environment.StorageConnectionString,
            NamePrefix = NamePrefix,
        })));
        return await UntilAsync(() => store.ListAsync(account, CancellationToken.None), done, timeout, "the queue door's records of " + account);
    }

    /// <summary>Takes reply notifications off the reply queue until there are <paramref name="count"/>.</summary>
    public async Task<IReadOnlyList<JsonNode>> RepliesAsync(List<JsonNode> received, int count, TimeSpan timeout)
    {
        await UntilAsync(async () =>
        {
            foreach (QueueMessage message in (await Replies.ReceiveMessagesAsync(32)).Value)
            {
                received.Add(JsonNode.Parse(message.Body.ToString())!);
                await Replies.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }

            return received.Count;
        }, n => n >= count, timeout, $"{count} replies");
        return received;
    }

    /// <summary>Replies on the reply queue not taken yet.</summary>
    public async Task<int> RepliesWaitingAsync() => (await Replies.PeekMessagesAsync(32)).Value.Length;

    /// <summary>The messages in the poison queue, once it holds <paramref name="count"/>.</summary>
    public async Task<IReadOnlyList<string>> PoisonedAsync(int count, TimeSpan timeout)
    {
        await UntilAsync(async () => (await Poison.GetPropertiesAsync()).Value.ApproximateMessagesCount, n => n >= count, timeout, $"{count} poisoned messages");
        List<string> bodies = [];
        QueueMessage[] page;
        do
        {
            page = (await Poison.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value;
            bodies.AddRange(page.Select(m => m.Body.ToString()));
        }
        while (page.Length > 0);
        return bodies;
    }

    private static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, string what)
    {
        using CancellationTokenSource limit = new(timeout);
        while (true)
        {
            T value = await read();
            if (done(value))
            {
                return value;
            }

            if (limit.IsCancellationRequested)
            {
                throw new TimeoutException($"Waited {timeout} for {what}.");
            }

            await Task.Delay(PollInterval);
        }
    }
}
