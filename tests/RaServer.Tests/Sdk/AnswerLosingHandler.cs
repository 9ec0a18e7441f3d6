using System.Net;

namespace RaServer.Tests.Sdk;

/// <summary>
/// An HTTP handler in front of a real connection to the RA that loses answers on purpose: the request reaches the
/// server and is carried out, but the client is told the connection broke, as when a network cuts out between the
/// server's answer and the client. <see cref="LoseNextAnswers"/> unary answers are dropped; a streamed answer can be
/// cut after its first message (<see cref="CutNextStreamAfterFirstMessage"/>).
/// </summary>
public sealed class AnswerLosingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private int answersToLose;
    private int streamsToCut;

    public int RequestsSent { get; private set; }

    public void LoseNextAnswers(int count) => answersToLose = count;

    public void CutNextStreamAfterFirstMessage() => streamsToCut = 1;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        RequestsSent++;
        var response = await base.SendAsync(request, ct);
        if (answersToLose > 0)
        {
            answersToLose--;
            // Read the whole answer so the server has finished, then act as if it never arrived.
            await response.Content.ReadAsByteArrayAsync(ct);
            response.Dispose();
            throw new HttpRequestException("the connection broke (a test lost the answer)", null, HttpStatusCode.BadGateway);
        }
        if (streamsToCut > 0)
        {
            streamsToCut--;
            var cut = new HttpResponseMessage(response.StatusCode) { Version = response.Version, Content = new CutContent(response.Content) };
            foreach (var header in response.Headers)
                cut.Headers.TryAddWithoutValidation(header.Key, header.Value);
            foreach (var header in response.Content.Headers)
                cut.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            return cut;
        }
        return response;
    }

    /// <summary>Passes the first gRPC message (5-byte prefix + its length) and then breaks the stream.</summary>
    private sealed class CutContent(HttpContent inner) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            await (await inner.ReadAsStreamAsync()).CopyToAsync(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        protected override async Task<Stream> CreateContentReadStreamAsync() => new CutStream(await inner.ReadAsStreamAsync());

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }

    private sealed class CutStream(Stream inner) : Stream
    {
        private long passed;
        private long allowed = -1;
        private readonly byte[] prefix = new byte[5];

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            if (allowed < 0)
            {
                await inner.ReadExactlyAsync(prefix, ct);
                allowed = 5 + (prefix[1] << 24 | prefix[2] << 16 | prefix[3] << 8 | prefix[4]);
                prefix.CopyTo(buffer.Span);
                passed = 5;
                return 5;
            }
            if (passed >= allowed)
                throw new IOException("the stream broke (a test cut it after its first message)");
            var read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, allowed - passed)], ct);
            passed += read;
            return read;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => passed; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
