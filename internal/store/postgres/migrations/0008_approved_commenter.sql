-- Every comment post asks whether its author has an approved comment
-- (HasApprovedComment). comments_email alone made that read every comment
-- of the address, so a post grew slower with its author's history; this
-- partial index answers it with one lookup and stays as small as the
-- approved comments.

CREATE INDEX comments_approved_commenter ON comments (email, author) WHERE state = 'approved';
