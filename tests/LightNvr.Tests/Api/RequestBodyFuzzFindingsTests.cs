using System.Net.Http.Headers;
using System.Net;
using LightNvr.Api.Http;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Api;

/// <summary>
/// Found by the json-stream fuzz target (tests/LightNvr.Fuzz, docs/robustness.md "Fuzzing"): JSON whose string or
/// property name holds invalid UTF-8 parsed fine (JsonNode decodes lazily) and threw InvalidOperationException at the
/// first read of the field, a 500; so did a property name given twice. Both are now upstream's 400 "Invalid JSON in
/// request body" (with the reason) or "Request body is not valid UTF-8", over real HTTP.
/// </summary>
public sealed class RequestBodyFuzzFindingsTests
{
    public static TheoryData<byte[]> Bodies => new()
    {
        { [.. """{"name":"cam","url":"rtsp://h/"""u8, 0xE2, .. "\"}"u8] }, // a value cut inside a 3-byte sequence
        { [.. "{\""u8, 0x87, .. "\":1}"u8] }, // a property name with a lone continuation byte
        // A name given twice: JsonObject threw ArgumentException ("same key has already been added") at the first read.
        { """{"name":"cam","url":"rtsp://h/","retention_days":1,"retention_days":2}"""u8.ToArray() },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Invalid_utf8_in_a_stream_body_is_a_400(byte[] body)
    {
        await using var host = await TestServerHost.StartAsync();
        using var client = await host.SessionClientAsync();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await client.PostAsync("/api/streams", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(text.Contains(RequestBody.InvalidJson, StringComparison.Ordinal)
            || text.Contains(RequestBody.InvalidUtf8, StringComparison.Ordinal), text);
    }

    [Fact]
    public void ParseObject_refuses_invalid_utf8_and_accepts_valid_text()
    {
        Assert.Null(RequestBody.ParseObject([.. "{\"a\":\""u8, 0xC3, .. "\"}"u8]));
        Assert.Equal("é", RequestBody.ParseObject("{\"a\":\"é\"}"u8)!["a"]!.GetValue<string>());
    }
}
