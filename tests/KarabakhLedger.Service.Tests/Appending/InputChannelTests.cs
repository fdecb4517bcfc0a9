using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using KarabakhLedger.Service.Security;
using KarabakhLedger.Service.Tests.Support;
using KarabakhLedger.Testing;
using Microsoft.Data.Sqlite;

namespace KarabakhLedger.Service.Tests.Appending;

/// <summary>
/// Each byte-level edge case of <see cref="InputEdgeCase"/> through the three channels at once: <c>ledger record FILE</c>
/// and <c>ledger record -</c> (stdin) as real processes, and <c>POST /api/interactions</c> on a real host. All three
/// give the same answer: the same refusal, word for word, with nothing written, or the same recorded event.
/// </summary>
public sealed class InputChannelTests(SqliteNodeFixture fixture) : IClassFixture<SqliteNodeFixture>
{
    private const string Dyad = "ARM-IRN";
    private readonly HttpClient _analyst = fixture.Node.As(LedgerRoles.Analyst);
    private readonly HttpClient _auditor = fixture.Node.As(LedgerRoles.Auditor);

    public static IEnumerable<object[]> Cases =>
        InputEdgeCase.For(
            (summary, occurredOn) => Bodies.Interaction("IRN", "ARM", occurredOn: occurredOn).Replace(
                "\"summary\":\"Test talks", $"\"summary\":\"{summary} Test talks", StringComparison.Ordinal),
            DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime))
        .Select(c => new object[] { c });

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(Cases))]
    public async Task A_file_stdin_and_an_HTTP_body_get_the_same_answer(InputEdgeCase edge)
    {
        var folder = TestFolders.Create("ledger-channels-");
        try
        {
            var input = Path.Combine(folder.FullName, "input.json");
            await File.WriteAllBytesAsync(input, edge.Bytes);
            var fileStore = Path.Combine(folder.FullName, "file.db");
            var stdinStore = Path.Combine(folder.FullName, "stdin.db");
            var before = await CountAsync();

            var file = await LedgerProcess.RunAsync([], "record", input, "--store", fileStore);
            var stdin = await LedgerProcess.RunAsync(edge.Bytes, "record", "-", "--store", stdinStore);
            using var content = new ByteArrayContent(edge.Bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await _analyst.PostAsync("/api/interactions", content);
            var answer = await response.Content.ReadAsStringAsync();

            Assert.Equal(file.Error, stdin.Error);
            Assert.Equal(file.ExitCode, stdin.ExitCode);
            if (edge.Accepted)
            {
                Assert.True(file.ExitCode == 0, file.Error);
                Assert.True(response.StatusCode == HttpStatusCode.Created, answer);
                var recorded = JsonDocument.Parse(answer).RootElement.GetProperty("events")[0].GetProperty("eventId").GetGuid();
                Assert.Equal([recorded], await EventIdsAsync(fileStore));
                Assert.Equal([recorded], await EventIdsAsync(stdinStore));
                Assert.Equal(before + 1, await CountAsync());
            }
            else
            {
                Assert.Equal(1, file.ExitCode);
                Assert.Equal($"error: the input was refused; nothing was written.{Environment.NewLine}  {edge.Field}: {edge.Rule}{Environment.NewLine}", stdin.Error);
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                var errors = JsonDocument.Parse(answer).RootElement.GetProperty("errors");
                var (field, rules) = Assert.Single(errors.EnumerateObject().Select(p => (p.Name, p.Value.EnumerateArray().Select(r => r.GetString()).ToList())));
                Assert.Equal(edge.Field, field);
                Assert.Equal([edge.Rule], rules);
                Assert.DoesNotContain("Exception", answer, StringComparison.Ordinal);
                Assert.Empty(await EventIdsAsync(fileStore));
                Assert.Empty(await EventIdsAsync(stdinStore));
                Assert.Equal(before, await CountAsync());
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private static async Task<List<Guid>> EventIdsAsync(string store)
    {
        var ids = new List<Guid>();
        if (!File.Exists(store))
        {
            return ids;
        }

        await using var connection = new SqliteConnection($"Data Source={store};Mode=ReadOnly;Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT event_id FROM ledger_events ORDER BY position";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(Guid.Parse(reader.GetString(0)));
        }

        return ids;
    }

    private async Task<int> CountAsync()
    {
        var page = await _auditor.GetFromJsonAsync<JsonElement>($"/api/events?dyad={Dyad}&limit=1000");
        return page.GetProperty("events").GetArrayLength();
    }
}
