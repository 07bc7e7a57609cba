/** The API key every test uses: distinctive, so a scan can prove it never leaks anywhere. */
export const TEST_API_KEY = 'sk-ant-api03-TEST-KEY-must-never-leak-9f8e7d6c5b4a';
