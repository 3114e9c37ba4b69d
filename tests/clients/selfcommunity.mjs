// Calls the course users endpoint through SelfCommunity's own JavaScript client
// (@selfcommunity/api-services, axios underneath), as its React dashboard does, and prints
// what came back. Run by tests/api/test_selfcommunity_client.py against live_server:
//
//   node tests/clients/selfcommunity.mjs '<plan as JSON>'
//
// plan: {"baseURL", "key", "courseId", "calls": [{"name", "auth", "params", "follow"}]}
//   auth "bearer": the package's shared client with setAuthorizeToken (Authorization: Bearer),
//        called through CourseService.getCourseDashboardUsers;
//   auth "token": new ApiClient({baseURL, accessToken}) (Authorization: Token), requesting the
//        package's own GetCourseDashboardUsers endpoint with the same params;
//   follow: load more by requesting each `next` URL until it is null.
// Prints [{"name", "pages": [{"status", "sent", "body"}]}]: "sent" is the path and query
// string axios put on the wire, "body" the JSON answer (a 4xx body too).

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { http, CourseService, Endpoints } = require('@selfcommunity/api-services');
const { ApiClient } = require('@selfcommunity/api-services/client/index.js');

const plan = JSON.parse(process.argv[2]);
http.setBasePortal(plan.baseURL);
http.setAuthorizeToken(plan.key);
const tokenClient = new ApiClient({ baseURL: plan.baseURL, accessToken: plan.key });

function page(response) {
  return { status: response.status, sent: response.request.path, body: response.data };
}

async function settle(promise) {
  try {
    return page(await promise);
  } catch (error) {
    if (error.response) return page(error.response);
    throw error;
  }
}

// CourseService resolves with the body alone; an interceptor keeps the response it came from.
let lastResponse = null;
http.getClientInstance().interceptors.response.use((response) => {
  lastResponse = response;
  return response;
});

async function firstPage(call) {
  if (call.auth === 'token') {
    const endpoint = Endpoints.GetCourseDashboardUsers;
    return settle(
      tokenClient.request({
        url: endpoint.url({ id: plan.courseId }),
        method: endpoint.method,
        params: call.params,
      }),
    );
  }
  try {
    await CourseService.getCourseDashboardUsers(plan.courseId, call.params);
    return page(lastResponse);
  } catch (error) {
    if (error.response) return page(error.response);
    throw error;
  }
}

const results = [];
for (const call of plan.calls) {
  const pages = [await firstPage(call)];
  const client = call.auth === 'token' ? tokenClient : http;
  while (call.follow && pages.at(-1).status === 200 && pages.at(-1).body.next) {
    pages.push(await settle(client.request({ url: pages.at(-1).body.next, method: 'GET' })));
  }
  results.push({ name: call.name, pages });
}
process.stdout.write(JSON.stringify(results));
