// API error codes (errors:<CODE>). English shows the server's own message, which is written
// for people, so only the codes the browser raises itself are here; other languages
// translate the codes their pages meet and fall back to the server's message.
const errors: Record<string, string> = {
  NETWORK_ERROR: "The server could not be reached. Check your connection and try again.",
  UNEXPECTED_RESPONSE: "The server sent an answer this page does not understand.",
};

export default errors;
